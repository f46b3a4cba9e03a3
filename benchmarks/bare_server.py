"""The transport's ceiling: a bare Flask-SocketIO server (gevent) that only counts votes.

Run by live_vote.py; `python benchmarks/bare_server.py PORT`.
"""
from gevent import monkey

monkey.patch_all()

import sys  # noqa: E402

from flask import Flask  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent")
votes = {"cast": 0}  # a benchmark baseline: no database, no durability, on purpose


@app.get("/health")
def health():
    return "ok"


@socketio.on("connect")
def connect(auth=None):
    join_room("projector" if (auth or {}).get("role") == "projector" else "phones")


@socketio.on("ballot.cast")
def cast(payload):
    votes["cast"] += 1
    socketio.emit("patch", {"part": "tally", "data": {"1": {"cast": votes["cast"]}}}, to="projector")
    return {"ok": True}


if __name__ == "__main__":
    socketio.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_output=False)
