"""The CloudFront function in template.yaml sends browsers where devstack/front.py sends them locally.

Email links behave the same on a laptop and on AWS only if both fronts agree, so the function's
JavaScript runs here in Node.js (which the web build needs anyway) against the local front's rules.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest

from devstack.front import _case_page
from devstack.template import load

CASE_ID = "01JD5ZQ8V3K9W2X4Y6Z8A0B1C2"
HTML = "text/html,application/xhtml+xml"
REQUESTS = [
    ("GET", "/", {}),
    ("GET", "/app", {}),
    ("GET", "/app/", {}),
    ("GET", "/app/assets/index.js", {}),
    ("GET", f"/cases/{CASE_ID}", {"accept": HTML}),
    ("GET", f"/cases/{CASE_ID}/pdf", {"accept": HTML}),
    ("GET", f"/cases/{CASE_ID}", {"accept": HTML, "authorization": "Bearer x"}),  # the web client's own call
    ("GET", f"/cases/{CASE_ID}", {"accept": "application/json"}),
    ("POST", f"/cases/{CASE_ID}/decision", {"accept": HTML}),
    ("GET", "/cases/not-a-case-id", {"accept": HTML}),
    ("GET", "/decisions/abc", {"accept": HTML}),  # the decision page is served by the API itself
]

HARNESS = """
%s
const requests = JSON.parse(process.argv[1]);
const out = requests.map(([method, uri, headers]) => {
  const hs = {};
  for (const [k, v] of Object.entries(headers)) hs[k] = { value: v };
  const result = handler({ request: { method, uri, headers: hs } });
  return result.statusCode ? { redirect: result.headers.location.value } : { uri: result.uri };
});
console.log(JSON.stringify(out));
"""


def _local_front(method: str, uri: str, headers: dict[str, str]) -> dict[str, Any]:
    """devstack/front.py's decisions, restated for one request."""
    if uri in {"/", "/app"}:
        return {"redirect": "/app/"}
    if uri.startswith("/app/"):
        return {"uri": uri + "index.html" if uri.endswith("/") else uri}
    browser = "authorization" not in headers and "text/html" in headers.get("accept", "")
    case_id = _case_page(uri)
    if method == "GET" and browser and case_id:
        return {"redirect": f"/app/#/cases/{case_id}"}
    return {"uri": uri}


def test_the_cloudfront_function_routes_like_the_local_front() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed (it builds the web client too): apt-get install nodejs")
    code = load().resources["WebFrontFunction"]["Properties"]["FunctionCode"]
    result = subprocess.run(
        [node, "-e", HARNESS % code, json.dumps(REQUESTS)], capture_output=True, text=True, check=True, timeout=30
    )
    assert json.loads(result.stdout) == [_local_front(*request) for request in REQUESTS]
