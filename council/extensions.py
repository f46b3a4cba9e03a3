"""Flask extensions, created once and bound to the app in create_app."""
from flask_babel import Babel
from flask_compress import Compress
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

socketio = SocketIO()
babel = Babel()
csrf = CSRFProtect()
compress = Compress()
