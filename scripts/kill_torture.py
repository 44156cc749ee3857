#!/usr/bin/env python3
"""Kills `rectify serve` with SIGKILL again and again while writers fire transitions and create
problems over HTTP, and checks after each restart that every acknowledged write is stored, that
each item's version matches its history (nothing half written), and at the end that the audit
chain verifies.

On SQLite the server works on a file in a temporary directory. With --postgres DIR it works on
a database of a throwaway PostgreSQL cluster in DIR (scripts/pg-test-cluster.sh) and, every
--crash-database-every kills, PostgreSQL is stopped in immediate mode too (a crash: no shutdown
checkpoint, recovery from its WAL at the next start) before both start again.

It is `make torture`; a long run, so not part of `make test`, whose own kill tests are
tests/app/process_test.cc, tests/storage/sqlite_group_commit_crash_test.cc and the PostgreSQL
kill test in tests/cluster. Exits non-zero naming the first loss; the SQLite file is then left
in its temporary directory.

usage: kill_torture.py RECTIFY_BINARY CAMPAIGN_JSON [--kills N] [--writers N]
                       [--postgres DIR [--crash-database-every N]]
"""
import argparse
import atexit
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("binary")
parser.add_argument("campaign")
parser.add_argument("--kills", type=int, default=50)
parser.add_argument("--writers", type=int, default=8)
parser.add_argument("--postgres", metavar="DIR", help="a throwaway PostgreSQL cluster in DIR instead of SQLite")
parser.add_argument("--crash-database-every", type=int, default=10, metavar="N",
                    help="with --postgres: crash PostgreSQL too at every Nth kill (0: never)")
args = parser.parse_args()
binary, campaign, kills, writers = args.binary, args.campaign, args.kills, args.writers
ITEMS_PER_WRITER = 6
NOW = "2021-10-12T09:00"
CLUSTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pg-test-cluster.sh")

work = tempfile.mkdtemp(prefix="rectify-torture-")
servers = []


def clean_up():
    for server in servers:
        if server.poll() is None:
            server.kill()
    if args.postgres:  # the cluster is throwaway: what failed is in the output
        subprocess.run([CLUSTER, "stop", args.postgres], capture_output=True)


atexit.register(clean_up)
if args.postgres:
    admin = subprocess.run([CLUSTER, "start", args.postgres], check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run(["psql", admin, "-q", "-c", "CREATE DATABASE torture"], check=True)
    db = re.sub(r"^(postgresql://[^/]*/)[^?]*", r"\1torture", admin)
else:
    db = os.path.join(work, "rectify.sqlite")


def crash_database():
    """PostgreSQL stopped as by a power cut, then started: it recovers from its WAL."""
    data = os.path.join(args.postgres, "data")
    as_owner = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
    subprocess.run(as_owner + ["/usr/lib/postgresql/15/bin/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
                   check=True, capture_output=True)
    subprocess.run([CLUSTER, "start", args.postgres], check=True, capture_output=True)


def add_user(name, unit, role):
    out = subprocess.run([binary, "user", "add", "--db", db, "--username", name, "--town", "gaoqiao", "--unit", unit,
                          "--role", role, "--now", NOW], check=True, capture_output=True, text=True).stdout
    return re.search(r"password \(shown once\): (\S+)", out).group(1)


def start_server():
    proc = subprocess.Popen([binary, "serve", "--db", db, "--campaign", campaign, "--port", "0", "--now", NOW],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    servers.append(proc)
    for line in proc.stdout:
        m = re.search(r"127\.0\.0\.1:(\d+)", line)
        if m:
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc, int(m.group(1))
    raise SystemExit("serve printed no port")


def call(port, method, path, token, body=None, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    conn.request(method, path, json.dumps(body) if body is not None else None, headers)
    res = conn.getresponse()
    data = res.read()
    conn.close()
    return res.status, (json.loads(data) if data else None)


def login(port, name, password):
    status, body = call(port, "POST", "/api/login", None, {"username": name, "password": password, "session": "bearer"})
    assert status == 200, body
    return body["token"]


office_pw = add_user("office.li", "rural_office", "office")
member_pw = add_user("member.v1", "village_1", "unit_member")
proc, port = start_server()
office = login(port, "office.li", office_pw)
member = login(port, "member.v1", member_pw)

# Each writer owns its items, so its acknowledged notes on an item come in one known order.
owned = []
for w in range(writers):
    ids = []
    for n in range(ITEMS_PER_WRITER):
        status, body = call(port, "POST", "/api/problems", office,
                            {"title": f"torture {w}-{n}", "area": 14, "source": "campaign_sweep", "unit": "village_1"})
        assert status == 201, (status, body)
        ids.append(body["id"])
        status, body = call(port, "POST", f"/api/problems/{ids[-1]}/events", member, {"event": "start"})
        assert status == 200, (status, body)
    owned.append(ids)

acked_notes = {}          # item id -> list of acknowledged notes, in order
acked_titles = set()      # acknowledged creations
lock = threading.Lock()
state = {"port": port}  # the running server's, read by the writers
stop_all = threading.Event()
counts = {"acked": 0, "refused": 0, "unanswered": 0}
# The checks read with the writers held, so that what they compare is not moving.
running = threading.Semaphore(writers)
gate = threading.Event()
gate.set()


def writer(w):
    rng = random.Random(w)
    n = 0
    while not stop_all.is_set():
        gate.wait()
        with running:
            n += 1
            write_once(w, rng, n)


def write_once(w, rng, n):
    port = state["port"]
    try:
        if rng.random() < 0.2:
            title = f"created {w}-{n}"
            status, body = call(port, "POST", "/api/problems", office,
                                {"title": title, "area": 14, "source": "campaign_sweep", "unit": "village_1"}, 5)
            if status == 201:
                with lock:
                    acked_titles.add(title)
                    counts["acked"] += 1
            else:
                refused(status, body)
        else:
            item = rng.choice(owned[w])
            note = f"w{w} n{n}"
            status, body = call(port, "POST", f"/api/problems/{item}/events", member,
                                {"event": "progress", "note": note}, 5)
            if status == 200:
                with lock:
                    acked_notes.setdefault(item, []).append(note)
                    counts["acked"] += 1
            else:
                refused(status, body)
    except (OSError, http.client.HTTPException):
        # the server was killed with this request in flight (it may or may not have been stored),
        # or is not up again yet
        with lock:
            counts["unanswered"] += 1
        time.sleep(0.01)


def refused(status, body):
    """Nothing here should be refused: each writer moves only its own items."""
    with lock:
        counts["refused"] += 1
    print(f"refused: {status} {body}", flush=True)


def check(port, round_no):
    """Every acknowledged write is there; each item's history is whole."""
    for w in range(writers):
        for item in owned[w]:
            status, hist = call(port, "GET", f"/api/problems/{item}/history", office)
            assert status == 200, (status, hist)
            status, view = call(port, "GET", f"/api/problems/{item}", office)
            assert status == 200, (status, view)
            notes = [e.get("note", "") for e in hist["events"] if e["event"] == "progress"]
            with lock:
                want = list(acked_notes.get(item, []))
            # acknowledged notes appear in order; unacknowledged ones may sit between them
            it = iter(notes)
            missing = [n for n in want if not any(n == x for x in it)]
            if missing:
                raise SystemExit(f"round {round_no}: item {item} lost acknowledged notes {missing[:5]}")
            if view["version"] != len(hist["events"]):
                raise SystemExit(f"round {round_no}: item {item} version {view['version']} but "
                                 f"{len(hist['events'])} events")
    titles = set()
    after = "0"
    while True:
        status, page = call(port, "GET", f"/api/problems?limit=500&after={after}", office)
        assert status == 200, page
        titles.update(i["title"] for i in page["items"])
        if page["next_after"] is None:
            break
        after = str(page["next_after"])
    with lock:
        lost = acked_titles - titles
    if lost:
        raise SystemExit(f"round {round_no}: lost acknowledged problems {sorted(lost)[:5]}")


threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
for t in threads:
    t.start()
rng = random.Random(12345)
started = time.time()
for k in range(1, kills + 1):
    time.sleep(rng.uniform(0.2, 1.2))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    crashed = args.postgres and args.crash_database_every and k % args.crash_database_every == 0
    if crashed:
        crash_database()
    proc, port = start_server()
    state["port"] = port
    gate.clear()
    held = [running.acquire() for _ in range(writers)]
    check(port, k)
    for _ in held:
        running.release()
    gate.set()
    print(f"kill {k}{' (and PostgreSQL crashed)' if crashed else ''}: {counts['acked']} acknowledged so far, "
          f"{counts['unanswered']} unanswered", flush=True)
stop_all.set()
for t in threads:
    t.join()
check(port, kills + 1)
proc.send_signal(signal.SIGTERM)
proc.wait()
verify = subprocess.run([binary, "audit", "verify", "--db", db], capture_output=True, text=True)
print((verify.stdout + verify.stderr).strip())
if verify.returncode != 0:
    raise SystemExit("audit chain broken")
if counts["refused"]:
    raise SystemExit(f"{counts['refused']} writes refused (printed above)")
shutil.rmtree(work)
backend = "PostgreSQL" if args.postgres else "SQLite"
print(f"{backend}: {kills} kills, {writers} writers, {time.time() - started:.0f} s: none of {counts['acked']} acknowledged "
      f"writes lost ({counts['refused']} refused, {counts['unanswered']} requests cut off by a kill or sent while "
      f"the server was down)")
