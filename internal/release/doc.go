// Package release holds the tests that keep the release facts of the
// repository in one place: the version number, set only in the VERSION file
// at the root, and its copies in the Go, C, Python and Node sources
// (version_test.go). It has no code of its own.
package release
