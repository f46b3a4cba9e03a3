"""Flask extensions, created once and bound to the app in create_app."""
from flask import request
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

socketio = SocketIO()
babel = Babel()
csrf = CSRFProtect()
compress = Compress()
# The throttles of `council.throttle` count in this limiter's storage, each under its own key:
# no route carries a decorator. The moving window is the lockout the settings promise ("5 per
# 15 minutes": locked until the oldest failure is 15 minutes old), not a clock-aligned window
# an attacker could straddle for twice the tries.
limiter = Limiter(key_func=lambda: request.remote_addr or "", strategy="moving-window")
