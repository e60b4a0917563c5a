#!/usr/bin/env python3
"""A throwaway Neo4j 5 Community server for newsgraph's tests and local runs.

    server.py start [--auth on|off] [--state-dir DIR]   start one, record it in DIR/server.json
    server.py env   [--state-dir DIR]                   print `export NEO4J_...` for it
    server.py status [--state-dir DIR]                  say whether it runs
    server.py stop  [--state-dir DIR]                   stop exactly the one DIR records
    server.py restart [--state-dir DIR]                 start the recorded server again on its data
                                                        and port, after it was killed or it died
    server.py admin --home DIR [--auth on|off] -- ARGS  a neo4j-admin command (database import full
                                                        …) on a home that no server runs on yet;
                                                        then `start --home DIR` serves what it made
    server.py run   [--mode auto|on|off|external] -- CMD...
                                                        a private server for CMD, stopped after
    server.py build                                     resolve and compile only

The server comes from Maven Central (tools/neo4j/pom.xml, resolved by `mvn`); the classpath
and the compiled launcher (tools/neo4j/src/) are cached in ~/.cache/newsgraph/neo4j/ and the
jars in the local Maven repository, so a start after the first costs no Maven run. Each start
gets a fresh data directory, a Bolt port picked by the kernel on 127.0.0.1, a generated
password (user neo4j) and a token that the recorded pid's command line must carry, so a
leftover record never names a server it did not start. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shlex
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
POM = HERE / "pom.xml"
SOURCES = sorted((HERE / "src" / "main" / "java").rglob("*.java"))
MAIN_CLASS = "newsgraph.neo4j.Launcher"
USER = "neo4j"
STATE_FILE = "server.json"
REQUIRE_ENV = "NEWSGRAPH_REQUIRE_NEO4J"
NEO4J_VARS = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE")
JVM_OPTS = [
    "-Xms512m", "-Xmx1g", "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow",
    "-Djdk.nio.maxCachedBufferSize=1024", "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
]


class Failure(Exception):
    """A one-line reason to stop, printed as `neo4j: …`."""


def say(message: str) -> None:
    print(f"neo4j: {message}", file=sys.stderr, flush=True)


def required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


# ---------------------------------------------------------------------------------------------
# Build: resolve the server with Maven once, compile the launcher once, cache both.


def cache_root() -> Path:
    if os.environ.get("NEWSGRAPH_NEO4J_CACHE"):
        return Path(os.environ["NEWSGRAPH_NEO4J_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsgraph" / "neo4j"


def neo4j_version() -> str:
    import re

    found = re.search(r"<neo4j\.version>([^<]+)</neo4j\.version>", POM.read_text(encoding="utf-8"))
    return found.group(1) if found else "?"


def build_key() -> str:
    """Changes whenever the POM, a launcher source or the JDK changes."""
    digest = hashlib.sha256(POM.read_bytes())
    for source in SOURCES:
        digest.update(source.read_bytes())
    digest.update(str(Path(shutil.which("javac") or "").resolve()).encode())
    return digest.hexdigest()[:16]


def missing_tools() -> list[str]:
    """What is missing to start a server: java always; javac and mvn until the build is cached."""
    needed = ("java",) if cached_build() else ("java", "javac", "mvn")
    return [tool for tool in needed if shutil.which(tool) is None]


def cached_build() -> tuple[str, Path] | None:
    """The cached (classpath, classes) if the build for this key is complete and its jars exist."""
    folder = cache_root() / build_key()
    done, classpath_file = folder / "build.ok", folder / "classpath.txt"
    if not done.exists() or not classpath_file.exists():
        return None
    classpath = classpath_file.read_text(encoding="utf-8").strip()
    if not all(os.path.exists(jar) for jar in classpath.split(os.pathsep)):
        return None  # the local Maven repository was cleaned: resolve again
    return classpath, folder / "classes"


def build() -> tuple[str, Path]:
    found = cached_build()
    if found:
        return found
    missing = [tool for tool in ("java", "javac", "mvn") if shutil.which(tool) is None]
    if missing:
        raise Failure(f"{', '.join(missing)} not on the PATH: a JDK 17+ and Maven are needed to run Neo4j")
    folder = cache_root() / build_key()
    folder.mkdir(parents=True, exist_ok=True)
    import fcntl

    with open(folder / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two starts at once resolve once
        found = cached_build()
        if found:
            return found
        started = time.monotonic()
        say(f"resolving Neo4j {neo4j_version()} Community from Maven Central (first time only) …")
        classpath_file = folder / "classpath.txt"
        mvn = ["mvn", "-B", "-q", "-f", str(POM), "dependency:build-classpath",
               "-Dmdep.includeScope=runtime", f"-Dmdep.outputFile={classpath_file}"]  # fmt: skip
        result = subprocess.run(mvn, capture_output=True, text=True, cwd=folder)
        if result.returncode != 0 or not classpath_file.exists():
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
            raise Failure(f"Maven could not resolve the server (exit {result.returncode}):\n{tail}")
        classpath = classpath_file.read_text(encoding="utf-8").strip()
        classes = folder / "classes"
        shutil.rmtree(classes, ignore_errors=True)
        javac = ["javac", "--release", "17", "-nowarn", "-d", str(classes), "-cp", classpath, *map(str, SOURCES)]
        result = subprocess.run(javac, capture_output=True, text=True)
        if result.returncode != 0:
            raise Failure(f"the launcher did not compile:\n{result.stderr.strip()}")
        (folder / "build.ok").write_text(f"neo4j {neo4j_version()}\n", encoding="utf-8")
        say(f"resolved and compiled in {time.monotonic() - started:.1f} s; cached in {folder}")
        return classpath, classes


# ---------------------------------------------------------------------------------------------
# The record of a started server, and whether the process it names is still that server.


def default_state_dir() -> Path:
    return ROOT / ".neo4j"


def read_state(state_dir: Path) -> dict | None:
    try:
        return json.loads((state_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_state(state_dir: Path, state: dict) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    tmp = state_dir / f".{STATE_FILE}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # holds the password
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(state, out, indent=2)
    os.replace(tmp, state_dir / STATE_FILE)


def is_ours(state: dict) -> bool:
    """The recorded pid is alive and is the launcher of this very start (its token)."""
    try:
        cmdline = Path(f"/proc/{int(state['pid'])}/cmdline").read_bytes().split(b"\0")
    except (OSError, KeyError, ValueError):
        return False
    token = str(state.get("token", "")).encode()
    return MAIN_CLASS.encode() in cmdline and token in cmdline and bool(token)


def speaks_bolt(port: int, timeout: float = 2.0) -> bool:
    """A Bolt handshake on 127.0.0.1:port answers with a version the server agrees to."""
    hello = bytes.fromhex("6060B017") + bytes.fromhex("00080805" "00000404" "00000004" "00000003")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
            conn.sendall(hello)
            answer = conn.recv(4)
    except OSError:
        return False
    return len(answer) == 4 and answer != b"\0\0\0\0"


def discard(state_dir: Path, state: dict | None) -> None:
    """Forget a record and delete the data of the server it named."""
    if state and state.get("home"):
        shutil.rmtree(state["home"], ignore_errors=True)
    try:
        (state_dir / STATE_FILE).unlink()
    except FileNotFoundError:
        pass


def running(state_dir: Path) -> dict | None:
    """The record of a live server started here; a stale record is discarded on the way."""
    state = read_state(state_dir)
    if state is None:
        return None
    if is_ours(state):
        return state
    say(f"discarding a stale record: pid {state.get('pid')} (port {state.get('port')}) is no longer that server")
    discard(state_dir, state)
    return None


# ---------------------------------------------------------------------------------------------
# Commands.


def start(state_dir: Path, *, auth: bool, watch_pid: int | None = None, quiet: bool = False,
          home: Path | None = None, password: str | None = None, port: int = 0) -> dict:
    """Start a server and record it in state_dir. With watch_pid, the server stops by itself
    when that process is gone and deletes its data and state_dir. With `home`, the server
    runs on that directory (made by `admin`, or by an earlier start that `restart` resumes) and
    keeps what it holds; `password` is then the one its data already has."""
    existing = running(state_dir)
    if existing:
        raise Failure(
            f"a server started here is already running (pid {existing['pid']}, {existing['uri']}): "
            "use it (make -s neo4j-env) or stop it first (make neo4j-stop)"
        )
    classpath, classes = build()
    started = time.monotonic()
    import secrets

    token = secrets.token_hex(8)
    alphabet = string.ascii_letters + string.digits  # nothing a shell or a URI would mangle
    if auth and not password:
        password = "".join(secrets.choice(alphabet) for _ in range(24))
    if not auth:
        password = None
    created = home is None
    home = Path(tempfile.mkdtemp(prefix="newsgraph-neo4j-")) if home is None else home.resolve()
    home.mkdir(parents=True, exist_ok=True)
    ready = home / "ready"
    log = home / "launcher.log"
    command = [*launcher_command(classpath, classes, home, auth), "--ready", str(ready), "--token", token]
    if port:
        command += ["--port", str(port)]
    if watch_pid:
        command += ["--watch-pid", str(watch_pid), "--cleanup", str(home), "--cleanup", str(state_dir)]
    env = {k: v for k, v in os.environ.items() if k != "NEWSGRAPH_NEO4J_PASSWORD"}
    if password:
        env["NEWSGRAPH_NEO4J_PASSWORD"] = password  # not on the command line, which anyone can read
    with open(log, "ab") as out:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                   env=env, cwd=home, start_new_session=True)  # fmt: skip
    timeout = float(os.environ.get("NEWSGRAPH_NEO4J_START_TIMEOUT", "180"))
    port = None
    try:
        while time.monotonic() - started < timeout:
            answer = _read_ready(ready)
            if answer.get("token") == token:
                port = int(answer["port"])
                break
            if process.poll() is not None:
                break
            time.sleep(0.1)
    except BaseException:  # interrupted before it was recorded: nothing else could stop it
        process.kill()
        process.wait()
        if created:
            shutil.rmtree(home, ignore_errors=True)
        raise
    if port is None or not speaks_bolt(port):
        if port is not None:
            why = f"answers no Bolt handshake on port {port}"
        elif process.poll() is not None:
            why = f"exited with status {process.returncode}"
        else:
            why = f"was not ready after {timeout:.0f} s (NEWSGRAPH_NEO4J_START_TIMEOUT)"
        if process.poll() is None:
            process.kill()
            process.wait()
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-20:])
        if created:
            shutil.rmtree(home, ignore_errors=True)
        raise Failure(f"the server {why}:\n{tail}")
    state = {
        "pid": process.pid, "token": token, "port": port, "uri": f"bolt://127.0.0.1:{port}",
        "user": USER, "password": password, "auth": auth, "home": str(home), "watch_pid": watch_pid,
        "log": str(log), "version": neo4j_version(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }  # fmt: skip
    write_state(state_dir, state)
    if not quiet:
        say(f"Neo4j {state['version']} Community on {state['uri']} (user {USER}, auth {'on' if auth else 'off'}), "
            f"pid {process.pid}, started in {time.monotonic() - started:.1f} s; data in {home}")  # fmt: skip
    return state


def launcher_command(classpath: str, classes: Path, home: Path, auth: bool) -> list[str]:
    command = ["java", *JVM_OPTS, "-cp", f"{classes}{os.pathsep}{classpath}", MAIN_CLASS, "--home", str(home / "server")]
    return command if auth else [*command, "--no-auth"]


def restart(state_dir: Path, *, quiet: bool = False) -> dict:
    """Start the server a record names again, on the same data, password and port, once its
    process is gone (killed, crashed, or stopped by a test): what it had committed is there."""
    state = read_state(state_dir)
    if state is None:
        raise Failure(f"no server recorded in {state_dir}: nothing to restart")
    if is_ours(state):
        raise Failure(f"the server on {state['uri']} (pid {state['pid']}) is still running")
    if not Path(state["home"]).is_dir():
        raise Failure(f"the data of the server on {state['uri']} is gone ({state['home']})")
    (state_dir / STATE_FILE).unlink()  # not `discard`: that deletes the data
    return start(state_dir, auth=bool(state["auth"]), watch_pid=state.get("watch_pid"), quiet=quiet,
                 home=Path(state["home"]), password=state.get("password"), port=int(state["port"]))  # fmt: skip


def admin(home: Path, args: list[str], *, auth: bool = True) -> int:
    """A neo4j-admin command against `home`'s configuration, no server running on it."""
    classpath, classes = build()
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.call([*launcher_command(classpath, classes, home.resolve(), auth), "--admin", *args],
                           stdin=subprocess.DEVNULL)  # fmt: skip


def _read_ready(path: Path) -> dict:
    try:
        return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").split())
    except (OSError, ValueError):
        return {}


def stop(state_dir: Path, *, quiet: bool = False) -> None:
    state = read_state(state_dir)
    if state is None:
        if not quiet:
            say(f"no server recorded in {state_dir}: nothing to stop")
        return
    if is_ours(state):
        pid = int(state["pid"])
        os.kill(pid, signal.SIGTERM)  # the server's shutdown hook stops it cleanly
        deadline = time.monotonic() + 30
        while is_ours(state) and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.1)
        if is_ours(state):
            say(f"pid {pid} ignored SIGTERM for 30 s: killing it")
            os.kill(pid, signal.SIGKILL)
            while is_ours(state):
                _reap(pid)
                time.sleep(0.1)
        if not quiet:
            say(f"stopped the server on {state['uri']} (pid {pid})")
    elif not quiet:
        say(f"pid {state.get('pid')} is no longer the server recorded there (gone or another process): "
            "record discarded, nothing killed")
    discard(state_dir, state)


def _reap(pid: int) -> None:
    """Collect our own child (in `run`), so it does not linger as a zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def env_lines(state: dict) -> list[str]:
    lines = [f"export NEO4J_URI={shlex.quote(state['uri'])}", f"export NEO4J_USERNAME={shlex.quote(state['user'])}"]
    if state.get("password"):
        lines.append(f"export NEO4J_PASSWORD={shlex.quote(state['password'])}")
    else:
        lines.append("unset NEO4J_PASSWORD")
    lines.append("unset NEO4J_DATABASE")  # the server's default database, whatever was set before
    return lines


def child_env(state: dict | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in NEO4J_VARS}
    if state:
        env.update(NEO4J_URI=state["uri"], NEO4J_USERNAME=state["user"])
        if state.get("password"):
            env["NEO4J_PASSWORD"] = state["password"]
    return env


def run(mode: str, command: list[str], *, auth: bool) -> int:
    """CMD with a private server of its own (mode on/auto), with none (off), or with the one the
    environment names (external). The server is stopped afterwards, whatever CMD did."""
    if not command:
        raise Failure("run needs a command after --")
    if mode == "external":
        if not os.environ.get("NEO4J_URI"):
            raise Failure("NEO4J=external but NEO4J_URI is not set")
        say("using the Neo4j at NEO4J_URI from the environment (its database is emptied by the tests)")
        return subprocess.call(command)
    if mode == "auto" and missing_tools():
        if required():
            raise Failure(f"{REQUIRE_ENV} is set but {', '.join(missing_tools())} not on the PATH")
        say(f"no {'/'.join(missing_tools())} on the PATH: no Neo4j server, so its contract tests are skipped")
        return subprocess.call(command, env=child_env(None))
    if mode == "off":
        if required():
            raise Failure(f"{REQUIRE_ENV} is set but NEO4J=off")
        return subprocess.call(command, env=child_env(None))
    if os.environ.get("NEO4J_URI"):
        say("NEO4J_URI from the environment is ignored: the tests get a private server (NEO4J=external to use yours)")
    state_dir = Path(tempfile.mkdtemp(prefix="newsgraph-neo4j-run-"))
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        state = start(state_dir, auth=auth, watch_pid=os.getpid())
        return subprocess.call(command, env=child_env(state))
    finally:
        if read_state(state_dir):
            stop(state_dir)
        shutil.rmtree(state_dir, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


def _terminated(signum, frame):
    raise KeyboardInterrupt  # unwinds through run()'s finally, which stops the server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/neo4j/server.py", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("start", "stop", "env", "status", "restart"):
        sub = commands.add_parser(name)
        sub.add_argument("--state-dir", type=Path, default=default_state_dir(),
                         help="where the record of the started server lives (default: .neo4j/ in the checkout)")
        if name == "start":
            sub.add_argument("--auth", choices=("on", "off"), default="on")
            sub.add_argument("--home", type=Path, help="run on this directory (one `admin` prepared) and keep its data")
            sub.add_argument("--watch-pid", type=int, help="stop, and delete the data, when this process is gone")
    sub = commands.add_parser("admin")
    sub.add_argument("--home", type=Path, required=True)
    sub.add_argument("--auth", choices=("on", "off"), default="on")
    sub.add_argument("cmd", nargs=argparse.REMAINDER)
    sub = commands.add_parser("run")
    sub.add_argument("--mode", choices=("auto", "on", "off", "external"), default="auto")
    sub.add_argument("--auth", choices=("on", "off"), default="on")
    sub.add_argument("cmd", nargs=argparse.REMAINDER)
    commands.add_parser("build")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            classpath, classes = build()
            say(f"Neo4j {neo4j_version()}: {len(classpath.split(os.pathsep))} jars; launcher in {classes}")
        elif args.command == "start":
            state = start(args.state_dir.resolve(), auth=args.auth == "on", home=args.home, watch_pid=args.watch_pid)
            say('point a shell at it with: eval "$(make -s neo4j-env)"; stop it with: make neo4j-stop')
            print(f"NEO4J_URI={state['uri']} NEO4J_USERNAME={state['user']}")
        elif args.command == "restart":
            state = restart(args.state_dir.resolve())
            print(f"NEO4J_URI={state['uri']} NEO4J_USERNAME={state['user']}")
        elif args.command == "admin":
            return admin(args.home, args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd, auth=args.auth == "on")
        elif args.command == "stop":
            stop(args.state_dir.resolve())
        elif args.command == "env":
            state = running(args.state_dir.resolve())
            if state is None:
                raise Failure("no server started here is running: make neo4j-start")
            if not speaks_bolt(int(state["port"])):
                raise Failure(f"pid {state['pid']} is running but {state['uri']} answers no Bolt handshake")
            print("\n".join(env_lines(state)))
        elif args.command == "status":
            state = running(args.state_dir.resolve())
            if state is None:
                say("not running")
                return 1
            bolt = "answers Bolt" if speaks_bolt(int(state["port"])) else "does NOT answer Bolt"
            say(f"running: Neo4j {state['version']} on {state['uri']}, pid {state['pid']}, {bolt}, since {state['started']}")
        elif args.command == "run":
            command = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
            return run(args.mode, command, auth=args.auth == "on")
    except Failure as failure:
        say(str(failure))
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
