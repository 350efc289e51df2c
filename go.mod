module github.com/mcp-oauth/mcp-oauth

go 1.26.8

require (
	github.com/mattn/go-pointer v0.0.1
	github.com/stretchr/testify v1.12.1
	go.uber.org/goleak v1.3.0
	golang.org/x/oauth2 v0.38.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
