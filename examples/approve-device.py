"""approve-device.py — plays the user of a device login in `make demo`: waits
for the user code in the login's output, then approves it on the test
authorization server's verification page, as a person would in a browser.

usage: approve-device.py LOGIN_OUTPUT_FILE VERIFICATION_PAGE_URL
"""
import re
import sys
import time
import urllib.parse
import urllib.request

log, page = sys.argv[1], sys.argv[2]
deadline = time.monotonic() + 30
code = None
while code is None and time.monotonic() < deadline:
    with open(log, encoding="utf-8") as f:
        m = re.search(r"^\s+([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", f.read(), re.M)
    code = m and m.group(1)
    time.sleep(0.1)
if code is None:
    sys.exit("approve-device: no user code in the login's output")
form = urllib.parse.urlencode({"user_code": code, "action": "approve"}).encode()
with urllib.request.urlopen(page, data=form, timeout=10) as resp:
    print(f"   (the user entered {code} at {page} and approved: HTTP {resp.status})", file=sys.stderr)
