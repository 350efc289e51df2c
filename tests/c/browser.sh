#!/bin/sh
# browser.sh URL — a headless "browser" for tests: follows the authorization
# URL and its redirect to the loopback listener, like a user approving.
exec python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=10).read()' "$1"
