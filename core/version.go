package core

// Version is the release of this module, the library and the CLI. It is a
// copy of the repository's VERSION file, the one place the number is set:
// packaging/set-version.sh writes it here and into the other copies, and
// internal/release's TestVersionCopies fails when one of them differs.
const Version = "0.2.0"
