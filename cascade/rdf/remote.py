"""Remote triple stores: SPARQL queries to an endpoint and upload through the Graph Store Protocol.

Every call has a deadline to connect and a deadline for the whole call, reads at most
``max_bytes`` of an answer, and fails with one line naming the endpoint (its password, if
the URL carries one, replaced by ``***``). Only ``http`` and ``https`` endpoints are used.
Passwords come from the argument, from ``$CASCADE_SPARQL_PASSWORD`` or from a prompt
(:func:`password_for`), never from the command line.
"""
from __future__ import annotations

import base64
import getpass
import json
import os
import re
import sys
import time
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

#: the environment variable a password is read from
PASSWORD_ENV = "CASCADE_SPARQL_PASSWORD"
#: seconds allowed to connect (and for any single read)
CONNECT_TIMEOUT = 10.0
#: the largest answer read from an endpoint
MAX_BYTES = 256 << 20
_ERROR_BYTES = 4096                        # of an error page, only the start is read


# -- URLs and passwords --------------------------------------------------------------------------------------

def redact(url: str) -> str:
    """``url`` with the password of its user part replaced by ``***``.

    >>> redact("http://dba:secret@localhost:8890/sparql")
    'http://dba:***@localhost:8890/sparql'
    """
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def _endpoint(url: str) -> tuple[str, str | None, str | None]:
    """(the URL without user part, user, password) of an ``http``/``https`` endpoint.

    Raises:
        ExportError: any other kind of URL (``file:``, ``ftp:``...).
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ExportError(f"{redact(url)}: an endpoint must be an http:// or https:// URL")
    if parts.username is None:
        return url, None, None
    clean = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    return (clean, urllib.parse.unquote(parts.username),
            urllib.parse.unquote(parts.password) if parts.password is not None else None)


def password_for(user: str | None, password: str | None = None, *, ask: bool | None = None) -> str | None:
    """The password of ``user``: ``password``, else ``$CASCADE_SPARQL_PASSWORD``, else a prompt.

    The prompt (which does not echo) is shown when ``ask`` is true, or when ``ask`` is None
    and standard input is a terminal. No user: None.

    Raises:
        ExportError: a user without a password where none can be asked for.
    """
    if user is None:
        return None
    if password is not None:
        return password
    env = os.environ.get(PASSWORD_ENV)
    if env is not None:
        return env
    if ask or (ask is None and sys.stdin is not None and sys.stdin.isatty()):
        return getpass.getpass(f"password for {user}: ")
    raise ExportError(f"no password for {user!r}: set {PASSWORD_ENV} or run in a terminal to be asked")


# -- HTTP with deadlines -------------------------------------------------------------------------------------

class _Deadline:
    """The end of a whole call; :meth:`timeout` is what one socket operation may still take."""

    def __init__(self, total: float, connect: float, url: str):
        self.end = time.monotonic() + total
        self.total, self.connect, self.url = total, connect, url

    def timeout(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise ExportError(f"{redact(self.url)}: no complete answer within {self.total:g} s")
        return min(self.connect, left)


def _tighten(resp: Any, timeout: float) -> None:
    """Shorten the socket timeout of an open response to what the deadline leaves (CPython's objects)."""
    sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(timeout)


def _send(opener: urllib.request.OpenerDirector, req: urllib.request.Request, deadline: _Deadline,
          max_bytes: int = MAX_BYTES) -> bytes:
    """The body of the answer to ``req``, read within the deadline and at most ``max_bytes`` long.

    Raises:
        ExportError: one line: an HTTP error (with the first line of its page), no connection,
            a deadline passed, or an answer too large.
    """
    url = redact(req.full_url)
    try:
        with opener.open(req, timeout=deadline.timeout()) as resp:
            chunks: list[bytes] = []
            size = 0
            while True:
                _tighten(resp, deadline.timeout())
                chunk = resp.read1(1 << 16)
                if not chunk:
                    return b"".join(chunks)
                size += len(chunk)
                if size > max_bytes:
                    raise ExportError(f"{url}: the answer is larger than {max_bytes >> 20} MiB")
                chunks.append(chunk)
    except urllib.error.HTTPError as e:
        try:
            _tighten(e, deadline.timeout())
            page = e.read(_ERROR_BYTES).decode("utf-8", "replace").strip().splitlines()
        except (OSError, AttributeError, ExportError):
            page = []
        finally:
            e.close()
        raise ExportError(f"{url}: HTTP {e.code} {_one_line(str(e.reason))}"
                          + (f": {_one_line(page[0])[:300]}" if page else "")) from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise ExportError(f"{url}: no answer within the time allowed ({deadline.connect:g} s per step, "
                              f"{deadline.total:g} s in all)") from None
        raise ExportError(f"{url}: cannot connect ({_one_line(str(reason))})") from None


def _one_line(text: str) -> str:
    """Text fit for one line of a message: control characters shown as spaces."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", text).strip()


def _opener(user: str | None, password: str | None, url: str) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = []
    if user is not None:
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, user, password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(mgr), urllib.request.HTTPBasicAuthHandler(mgr)]
    return urllib.request.build_opener(*handlers)


# -- queries ---------------------------------------------------------------------------------------------

def _prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def run_remote_query(endpoint: str, query: str, params: dict[str, str] | None = None,
                     declared: dict[str, tuple[bool, str]] | None = None, *, graph: str | None = None,
                     user: str | None = None, password: str | None = None, timeout: float = 60,
                     connect_timeout: float = CONNECT_TIMEOUT, max_bytes: int = MAX_BYTES) -> QueryResult:
    """Run a SELECT or ASK query on a SPARQL 1.1 endpoint (POST, JSON results).

    ``graph`` restricts the default graph (``default-graph-uri``); the cascade prefixes
    are declared in front of the query. A user and password may also be given in the URL.
    ``timeout`` bounds the whole call, ``connect_timeout`` each step of it.

    Raises:
        ExportError: the endpoint cannot be reached in time, answers with an error, or its
            answer is too large or not SPARQL JSON results.
    """
    url, url_user, url_password = _endpoint(endpoint)
    user = user if user is not None else url_user
    password = password if password is not None else url_password
    text = bind_params(query, params, declared)
    if not re.search(r"^\s*PREFIX\s", text, re.IGNORECASE | re.MULTILINE):
        text = _prologue() + text
    form: dict[str, str] = {"query": text}
    if graph:
        form["default-graph-uri"] = graph
    req = urllib.request.Request(url, data=urllib.parse.urlencode(form).encode("utf-8"), method="POST",
                                 headers={"Accept": "application/sparql-results+json",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    body = _send(_opener(user, password, url), req, _Deadline(timeout, connect_timeout, url), max_bytes)
    return _results(body, redact(url))


def _results(body: bytes, url: str) -> QueryResult:
    """SPARQL 1.1 JSON results, checked; one-line ExportError when they are not.

    >>> _results(b'{"boolean": "false"}', "e").boolean
    False
    >>> _results(b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"value": "1"}}]}}', "e").rows
    [{'x': '1'}]
    >>> _results(b'{"head": {}}', "e")
    Traceback (most recent call last):
    cascade.errors.ExportError: e: the answer is not SPARQL JSON results (no 'boolean' and no 'results')
    """
    def bad(why: str) -> ExportError:
        return ExportError(f"{url}: the answer is not SPARQL JSON results ({why})")

    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        raise bad("not JSON") from None
    if not isinstance(doc, dict):
        raise bad("not a JSON object")
    if "boolean" in doc:
        value = doc["boolean"]
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            value = value.strip().lower() == "true"
        if not isinstance(value, bool):
            raise bad(f"boolean is {value!r}")
        return QueryResult(boolean=value)
    if "results" not in doc:                       # neither an ASK nor a SELECT answer
        raise bad("no 'boolean' and no 'results'")
    head, results = doc.get("head", {}), doc["results"]
    names = head.get("vars", []) if isinstance(head, dict) else None
    bindings = results.get("bindings", []) if isinstance(results, dict) else None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise bad("head.vars is not a list of names")
    if not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings):
        raise bad("results.bindings is not a list of objects")
    rows: list[dict[str, str | None]] = []
    for b in bindings:
        row: dict[str, str | None] = {}
        for n in names:
            cell = b.get(n)
            if cell is not None and not (isinstance(cell, dict) and isinstance(cell.get("value"), str)):
                raise bad(f"a value of {n} has no text")
            row[n] = cell["value"] if cell is not None else None
        rows.append(row)
    return QueryResult(variables=list(names), rows=rows)


# -- upload to a triple store -------------------------------------------------------------------------

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
         chunk_bytes: int = 4 << 20, timeout: float = 600,
         connect_timeout: float = CONNECT_TIMEOUT) -> PushReport:
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
        user, password: for HTTP digest or basic authentication, settled before any data is sent
            (also read from the URL's user part).
        base: base IRI of the minted IRIs (default: the build's).
        timeout: seconds for the whole upload; ``connect_timeout``: for each step of it.

    Raises:
        ExportError: the endpoint refused a request (a wrong password included), cannot be
            reached, or did not finish in time.
    """
    url, url_user, url_password = _endpoint(endpoint)
    user = user if user is not None else url_user
    password = password if password is not None else url_password
    deadline = _Deadline(timeout, connect_timeout, url)
    src = _source(source)
    b = _base(base, source if isinstance(source, (str, Path)) else None)
    target = graph or b
    auth = _Auth(user, password or "", deadline) if user is not None else None
    opener = urllib.request.build_opener()
    report = PushReport()
    per_graph: dict[str | None, list[str]] = defaultdict(list)
    for g, triples in corpus_blocks(src, _NTTerms(), b, named=dataset):
        per_graph[g].append("".join([f"{s} {p} {o} .\n" for s, p, o in triples]))
    for g, parts in per_graph.items():
        iri = target if g is None else g
        text = "".join(parts)
        report.graphs[iri] = text.count("\n")
        graph_url = _graph_url(url, iri)
        for i, chunk in enumerate(_chunks(text, chunk_bytes)):
            data = chunk.encode("utf-8")
            req = urllib.request.Request(graph_url, data=data, method="POST" if i else "PUT",
                                         headers={"Content-Type": "text/turtle; charset=utf-8"})
            if auth is not None:
                auth.sign(req)
            _send(opener, req, deadline, 1 << 20)
            report.requests += 1
            report.bytes += len(data)
    return report


class _Auth:
    """HTTP authentication settled with empty requests first, so no upload is cut short by a 401.

    A server that answers a large unauthenticated PUT with 401 may close the connection
    before the body is sent; here the challenge is fetched, and the credentials checked,
    with bodiless requests, and every upload then carries its ``Authorization`` header.
    """

    def __init__(self, user: str, password: str, deadline: _Deadline):
        self.user, self.password, self.deadline = user, password, deadline
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

    def _probe(self, req: urllib.request.Request) -> urllib.error.HTTPError | None:
        """Send a bodiless request; the HTTP error it met (closed), or None when it succeeded."""
        try:
            urllib.request.build_opener().open(req, timeout=self.deadline.timeout()).close()
            return None
        except urllib.error.HTTPError as e:
            e.close()
            return e
        except (urllib.error.URLError, OSError) as e:
            raise ExportError(f"{redact(req.full_url)}: cannot connect "
                              f"({_one_line(str(getattr(e, 'reason', e)))})") from None

    def _settle(self, url: str) -> None:
        e = self._probe(urllib.request.Request(url, data=b"", method="POST"))
        if e is None:
            self.challenge = {}                            # no authentication asked for
            return
        header = e.headers.get("WWW-Authenticate", "") if e.code == 401 else ""
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
        e = self._probe(check)
        if e is not None and e.code in (401, 403):
            raise ExportError(f"{redact(url)}: HTTP {e.code} {_one_line(str(e.reason))}: "
                              f"wrong user or password for {self.user!r}")


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
