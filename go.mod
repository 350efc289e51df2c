module github.com/mcp-oauth/mcp-oauth

go 1.26.8

require (
	github.com/mattn/go-pointer v0.0.1
	golang.org/x/oauth2 v0.38.0
)
