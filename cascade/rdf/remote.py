"""Remote triple stores: SPARQL queries to an endpoint and upload through the Graph Store Protocol."""
from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cascade.errors import ExportError
from cascade.rdf.blocks import corpus_blocks
from cascade.rdf.namespace import PREFIXES
from cascade.rdf.sparql import QueryResult, bind_params
from cascade.rdf.terms import _NTTerms
from cascade.rdf.write import _base, _source


def _opener(user: str | None, password: str | None, url: str) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if user is not None:
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, user, password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(mgr), urllib.request.HTTPBasicAuthHandler(mgr)]
    return urllib.request.build_opener(*handlers)


def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def run_remote_query(endpoint: str, query: str, params: dict[str, str] | None = None,
                     declared: dict[str, tuple[bool, str]] | None = None, *, graph: str | None = None,
                     user: str | None = None, password: str | None = None,
                     timeout: float = 60) -> QueryResult:
    """Run a SELECT or ASK query on a SPARQL 1.1 endpoint (POST, JSON results).

    ``graph`` restricts the default graph (``default-graph-uri``); the cascade prefixes
    are declared in front of the query.

    Raises:
        ExportError: the endpoint cannot be reached or answers with an error.
    """
    text = bind_params(query, params, declared)
    if not re.search(r"^\s*PREFIX\s", text, re.IGNORECASE | re.MULTILINE):
        text = _prologue() + text
    form: dict[str, str] = {"query": text}
    if graph:
        form["default-graph-uri"] = graph
    req = urllib.request.Request(endpoint, data=urllib.parse.urlencode(form).encode("utf-8"), method="POST",
                                 headers={"Accept": "application/sparql-results+json",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    body = _send(_opener(user, password, endpoint), req, timeout)
    try:
        doc = json.loads(body)
    except ValueError:
        raise ExportError(f"{endpoint}: the answer is not SPARQL JSON results") from None
    if "boolean" in doc:
        return QueryResult(boolean=bool(doc["boolean"]))
    names = list(doc.get("head", {}).get("vars", []))
    bindings = doc.get("results", {}).get("bindings", [])
    rows = [{n: (b[n]["value"] if n in b else None) for n in names} for b in bindings]
    return QueryResult(variables=names, rows=rows)


def _send(opener: urllib.request.OpenerDirector, req: urllib.request.Request, timeout: float) -> bytes:
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.read()
    except urllib.error.HTTPError as e:
        detail = e.read().decode("utf-8", "replace").strip().splitlines()
        raise ExportError(f"{req.full_url}: HTTP {e.code} {e.reason}"
                          + (f": {detail[0][:300]}" if detail else "")) from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise ExportError(f"{req.full_url}: cannot connect ({reason})") from None


@dataclass(slots=True)
class PushReport:
    """What :func:`push` sent: graphs (IRI -> triples), requests made, bytes sent."""

    graphs: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    bytes: int = 0


def _graph_url(endpoint: str, graph: str | None) -> str:
    sep = "&" if "?" in endpoint else "?"
    if graph is None:
        return f"{endpoint}{sep}default"
    return f"{endpoint}{sep}{urllib.parse.urlencode({'graph': graph})}"


def push(endpoint: str, source: Any = None, *, graph: str | None = None, dataset: bool = False,
         user: str | None = None, password: str | None = None, base: str | None = None,
         chunk_bytes: int = 4 << 20, timeout: float = 300) -> PushReport:
    """Load the corpus into a SPARQL 1.1 Graph Store Protocol endpoint.

    The merged graph replaces the graph ``graph`` (default: the dataset IRI, the base) with
    an HTTP PUT of N-Triples, sent as ``text/turtle`` (N-Triples is Turtle) in pieces of
    ``chunk_bytes`` (the first PUT, the rest POSTed). With ``dataset`` the per-file named
    graphs go to their own graph IRIs too, and ``graph`` receives the default graph.

    Args:
        endpoint: the Graph Store endpoint, e.g. ``http://localhost:8890/sparql-graph-crud-auth``.
        source: a build, a build folder (default: the last build) or a graph.
        graph: the graph IRI to replace.
        dataset: also push the named graphs of each input file (with the evidence).
        user, password: for HTTP digest or basic authentication, settled before any data is sent.
        base: base IRI of the minted IRIs (default: the build's).

    Raises:
        ExportError: the endpoint refused a request (a wrong password included) or cannot be reached.
    """
    src = _source(source)
    b = _base(base, source if isinstance(source, (str, Path)) else None)
    target = graph or b
    auth = _Auth(user, password or "", timeout) if user is not None else None
    opener = urllib.request.build_opener()
    report = PushReport()
    per_graph: dict[str | None, list[str]] = defaultdict(list)
    for g, triples in corpus_blocks(src, _NTTerms(), b, named=dataset):
        per_graph[g].append("".join([f"{s} {p} {o} .\n" for s, p, o in triples]))
    for g, parts in per_graph.items():
        iri = target if g is None else g
        text = "".join(parts)
        report.graphs[iri] = text.count("\n")
        url = _graph_url(endpoint, iri)
        for i, chunk in enumerate(_chunks(text, chunk_bytes)):
            data = chunk.encode("utf-8")
            req = urllib.request.Request(url, data=data, method="POST" if i else "PUT",
                                         headers={"Content-Type": "text/turtle; charset=utf-8"})
            if auth is not None:
                auth.sign(req)
            _send(opener, req, timeout)
            report.requests += 1
            report.bytes += len(data)
    return report


class _Auth:
    """HTTP authentication settled with empty requests first, so no upload is cut short by a 401.

    A server that answers a large unauthenticated PUT with 401 may close the connection
    before the body is sent; here the challenge is fetched, and the credentials checked,
    with bodiless requests, and every upload then carries its ``Authorization`` header.
    """

    def __init__(self, user: str, password: str, timeout: float):
        self.user, self.password, self.timeout = user, password, timeout
        self.challenge: dict[str, str] | str | None = None
        self.digest: urllib.request.HTTPDigestAuthHandler | None = None

    def sign(self, req: urllib.request.Request) -> None:
        if self.challenge is None:
            self._settle(req.full_url)
        self._add(req)

    def _add(self, req: urllib.request.Request) -> None:
        if self.challenge == "basic":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
            req.add_unredirected_header("Authorization", f"Basic {token}")
        elif isinstance(self.challenge, dict) and self.digest is not None:
            value = self.digest.get_authorization(req, self.challenge)
            if value:
                req.add_unredirected_header("Authorization", f"Digest {value}")

    def _settle(self, url: str) -> None:
        opener = urllib.request.build_opener()
        try:
            opener.open(urllib.request.Request(url, data=b"", method="POST"), timeout=self.timeout).close()
            self.challenge = {}                            # no authentication asked for
            return
        except urllib.error.HTTPError as e:
            header = e.headers.get("WWW-Authenticate", "") if e.code == 401 else ""
            e.close()
        except (urllib.error.URLError, OSError) as e:
            raise ExportError(f"{url}: cannot connect ({getattr(e, 'reason', e)})") from None
        scheme, _, rest = header.partition(" ")
        if scheme.lower() == "digest":
            mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            mgr.add_password(None, url, self.user, self.password)
            self.digest = urllib.request.HTTPDigestAuthHandler(mgr)
            self.challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
        elif scheme.lower() == "basic":
            self.challenge = "basic"
        else:
            self.challenge = {}
            return
        check = urllib.request.Request(url, data=b"", method="POST")
        self._add(check)
        try:
            opener.open(check, timeout=self.timeout).close()
        except urllib.error.HTTPError as e:
            e.close()
            if e.code in (401, 403):
                raise ExportError(f"{url}: HTTP {e.code} {e.reason}: "
                                  f"wrong user or password for {self.user!r}") from None


def _chunks(text: str, size: int) -> Iterator[str]:
    """Pieces of about ``size`` characters that end at line ends (whole N-Triples statements)."""
    start = 0
    n = len(text)
    if n == 0:
        yield ""
        return
    while start < n:
        end = min(n, start + size)
        if end < n:
            nl = text.rfind("\n", start, end)
            end = nl + 1 if nl >= start else text.find("\n", end) + 1 or n
        yield text[start:end]
        start = end
