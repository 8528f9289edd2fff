#!/usr/bin/env python3
"""Independent checkers of connwiz's request signing, for the suite (issue 21).

Each mode verifies requests with a library the project did not write, or with a formula taken
from the standard, and answers 200 with what it checked or 401 with why not:

  oauth1   oauthlib's ResourceEndpoint (RFC 5849), NetSuite's INVALID_LOGIN body on failure
  sigv4    botocore's SigV4Auth computes the Authorization header the request should carry
  wsse     the OASIS UsernameToken Profile formula, base64(sha1(nonce + created + password))
  jwt      PyJWT verifies the signature and the claims (a bearer, or an assertion at /token)
  cookie   a Flask app with real sessions; /login sets the session cookie, /magento/token
           answers a token as a JSON string
  oauth2   Authlib's authorization server: password grant, client credentials with
           private_key_jwt (RFC 7523), and a resource that checks the bearer token

Usage: auth_peer.py MODE CONFIG.json; prints "listening PORT" once it accepts connections.
The URL a signature covers is rebuilt as https://<Host header><path>, the real service's URL
that connwiz signs under --sandbox-url.
"""
import base64
import datetime
import hashlib
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = sys.argv[1]
CONFIG = json.load(open(sys.argv[2]))
SEEN_NONCES = set()
LOCK = threading.Lock()


def real_url(handler):
    return "https://" + handler.headers.get("Host", "") + handler.path


# ---- oauth1 -------------------------------------------------------------------------------

def oauth1_check(handler, body):
    from oauthlib.oauth1 import RequestValidator, ResourceEndpoint

    class Validator(RequestValidator):
        enforce_ssl = True
        allowed_signature_methods = ("HMAC-SHA1", "HMAC-SHA256", "RSA-SHA256")
        # NetSuite's keys are 64 hex characters; oauthlib's default allows 20 to 30.
        client_key_length = (20, 100)
        access_token_length = (20, 100)
        nonce_length = (6, 64)
        realms = [CONFIG.get("realm", "")]
        dummy_client = "dummy_client_key_000000000000000"
        dummy_access_token = "dummy_token_0000000000000000000"

        def check_realms(self, realms):
            return True

        def validate_client_key(self, client_key, request):
            return client_key == CONFIG["consumerKey"]

        def validate_access_token(self, client_key, token, request):
            return token == CONFIG["token"]

        def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request, request_token=None, access_token=None):
            with LOCK:
                if nonce in SEEN_NONCES:
                    return False
                SEEN_NONCES.add(nonce)
            return True

        def validate_realms(self, client_key, token, request, uri=None, realms=None):
            return True

        def get_client_secret(self, client_key, request):
            return CONFIG["consumerSecret"]

        def get_access_token_secret(self, client_key, token, request):
            return CONFIG["tokenSecret"]

        def get_rsa_key(self, client_key, request):
            return CONFIG.get("rsaPublicKey", "")

    endpoint = ResourceEndpoint(Validator())
    headers = {k: v for k, v in handler.headers.items()}
    valid, request = endpoint.validate_protected_resource_request(real_url(handler), http_method=handler.command,
                                                                  body=body or None, headers=headers)
    realm = None
    auth = handler.headers.get("Authorization", "")
    if 'realm="' in auth:
        realm = auth.split('realm="', 1)[1].split('"', 1)[0]
    if valid and CONFIG.get("realm") and realm != CONFIG["realm"]:
        valid = False
    if valid:
        return 200, {"count": 1, "items": [{"id": "7"}], "checked": "oauthlib ResourceEndpoint",
                     "signatureMethod": request.signature_method, "realm": realm}
    return 401, {"type": "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2", "title": "Unauthorized", "status": 401,
                 "o:errorDetails": [{"detail": "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.",
                                     "o:errorCode": "INVALID_LOGIN"}]}


# ---- sigv4 --------------------------------------------------------------------------------

def sigv4_check(handler, body):
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    given = handler.headers.get("Authorization", "")
    if not given.startswith("AWS4-HMAC-SHA256 "):
        return 401, {"message": "Missing Authentication Token"}
    fields = dict(part.strip().split("=", 1) for part in given[len("AWS4-HMAC-SHA256 "):].split(","))
    signed = fields.get("SignedHeaders", "").split(";")
    if "host" not in signed or "x-amz-date" not in signed:
        return 403, {"message": "host and x-amz-date must be signed"}
    headers = {name: handler.headers.get(name, "") for name in signed}
    request = AWSRequest(method=handler.command, url=real_url(handler), data=body, headers=headers)
    request.context["timestamp"] = handler.headers.get("X-Amz-Date", "")
    credentials = Credentials(CONFIG["accessKeyId"], CONFIG["secretAccessKey"], CONFIG.get("sessionToken"))
    auth = SigV4Auth(credentials, CONFIG["service"], CONFIG["region"])
    # botocore signs every header the request holds, and the request holds only those the
    # client says it signed; AWS itself insists on host and x-amz-date among them (above).
    canonical = auth.canonical_request(request)
    string_to_sign = auth.string_to_sign(request, canonical)
    signature = auth.signature(string_to_sign, request)
    scope = auth.scope(request)
    expected = "AWS4-HMAC-SHA256 Credential=%s, SignedHeaders=%s, Signature=%s" % (scope, ";".join(signed), signature)
    if CONFIG.get("sessionToken") and handler.headers.get("X-Amz-Security-Token") != CONFIG["sessionToken"]:
        return 403, {"message": "The security token included in the request is invalid."}
    if given != expected:
        return 403, {"message": "The request signature we calculated does not match the signature you provided."}
    return 200, {"checked": "botocore SigV4Auth", "signedHeaders": signed}


# ---- wsse ---------------------------------------------------------------------------------

def wsse_check(handler, body):
    header = handler.headers.get(CONFIG.get("headerName", "X-WSSE"), "")
    if not header.startswith("UsernameToken "):
        return 401, {"error": "no UsernameToken"}
    parts = {}
    for item in header[len("UsernameToken "):].split(","):
        name, _, value = item.strip().partition("=")
        parts[name] = value.strip('"')
    if parts.get("Username") != CONFIG["username"]:
        return 401, {"error": "unknown user"}
    nonce = base64.b64decode(parts.get("Nonce", ""))
    created = parts.get("Created", "")
    expected = base64.b64encode(hashlib.sha1(nonce + created.encode() + CONFIG["password"].encode()).digest()).decode()
    when = datetime.datetime.fromisoformat(created.replace("Z", "+00:00"))
    if abs((datetime.datetime.now(datetime.timezone.utc) - when).total_seconds()) > 300:
        return 401, {"error": "Created is not within 5 minutes"}
    with LOCK:
        if parts.get("Nonce") in SEEN_NONCES:
            return 401, {"error": "nonce reused"}
        SEEN_NONCES.add(parts.get("Nonce"))
    if parts.get("PasswordDigest") != expected:
        return 401, {"error": "PasswordDigest does not match"}
    return 200, {"checked": "OASIS UsernameToken PasswordDigest"}


# ---- jwt ----------------------------------------------------------------------------------

def jwt_verify(token):
    import jwt
    key = CONFIG.get("secret") or CONFIG.get("publicKey")
    claims = jwt.decode(token, key, algorithms=[CONFIG["algorithm"]], audience=CONFIG.get("audience"),
                        issuer=CONFIG.get("issuer"), options={"require": ["exp", "iat", "jti"]})
    for name, value in CONFIG.get("claims", {}).items():
        if claims.get(name) != value:
            raise ValueError("claim %s is %r, not %r" % (name, claims.get(name), value))
    return claims


def jwt_check(handler, body):
    if handler.path.startswith("/token"):
        from urllib.parse import parse_qs
        form = parse_qs(body.decode())
        if form.get("grant_type") != ["urn:ietf:params:oauth:grant-type:jwt-bearer"]:
            return 400, {"error": "unsupported_grant_type"}
        try:
            jwt_verify(form.get("assertion", [""])[0])
        except Exception as error:
            return 400, {"error": "invalid_grant", "error_description": str(error)}
        return 200, {"access_token": CONFIG["accessToken"], "token_type": "Bearer", "expires_in": 300}
    auth = handler.headers.get(CONFIG.get("headerName", "Authorization"), "")
    token = auth.split(" ", 1)[1] if " " in auth else auth
    if CONFIG.get("accessToken") and CONFIG.get("exchange"):
        return (200, {"checked": "access token from the JWT exchange"}) if token == CONFIG["accessToken"] else (401, {"error": "invalid_token"})
    try:
        claims = jwt_verify(token)
    except Exception as error:
        return 401, {"error": "invalid_token", "error_description": str(error)}
    return 200, {"checked": "PyJWT", "sub": claims.get("sub")}


MODES = {"oauth1": oauth1_check, "sigv4": sigv4_check, "wsse": wsse_check, "jwt": jwt_check}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            status, answer = MODES[MODE](self, body)
        except Exception as error:  # a checker's own failure is a 500 the test sees
            status, answer = 500, {"error": "checker failed: %s" % error}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if MODE == "oauth1" and status == 401:
            self.send_header("WWW-Authenticate", 'OAuth realm="%s"' % CONFIG.get("realm", ""))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any

    def log_message(self, *args):
        pass


def serve_flask(app):
    from werkzeug.serving import make_server
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print("listening %d" % server.server_port, flush=True)
    server.serve_forever()


def cookie_app():
    import secrets
    from flask import Flask, jsonify, request, session

    app = Flask("cookie_peer")
    app.secret_key = secrets.token_hex(16)
    tokens = set()

    @app.post("/login")
    def login():
        given = request.get_json(silent=True) or {}
        if given.get("username") != CONFIG["username"] or given.get("password") != CONFIG["password"]:
            return jsonify(message="The account sign-in was incorrect."), 401
        session["user"] = given["username"]
        response = jsonify(loggedIn=True)
        # A cookie for another path, which must not reach /api.
        response.set_cookie("admin_only", "adm-" + secrets.token_hex(8), path="/admin")
        return response

    @app.get("/api/me")
    def me():
        if "user" not in session:
            return jsonify(message="no session"), 401
        if "admin_only" in request.cookies:
            return jsonify(message="a cookie scoped to /admin was sent to /api"), 400
        return jsonify(user=session["user"], checked="Flask session")

    @app.post("/rest/V1/integration/admin/token")
    def magento_token():
        given = request.get_json(silent=True) or {}
        if given.get("username") != CONFIG["username"] or given.get("password") != CONFIG["password"]:
            return jsonify(message="The account sign-in was incorrect or your account is disabled temporarily."), 401
        token = CONFIG.get("magentoToken") or ("mag" + secrets.token_hex(16))
        tokens.add(token)
        return app.response_class(json.dumps(token), mimetype="application/json")

    @app.get("/rest/V1/store/storeConfigs")
    def store():
        auth = request.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in tokens:
            return jsonify(message="The consumer isn't authorized to access %resources."), 401
        return jsonify([{"id": 1, "code": "default"}])

    return app


def oauth2_app():
    import os
    import time
    # Requests reach the peer over plain http on loopback, standing in for the https service.
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
    from authlib.oauth2.rfc6749 import grants
    from authlib.oauth2.rfc6750 import BearerTokenValidator
    from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
    from flask import Flask, jsonify

    app = Flask("oauth2_peer")
    issued = {}

    class Client:
        def __init__(self, data):
            self.data = data
            self.client_id = data["clientId"]

        def get_client_id(self):
            return self.client_id

        def get_default_redirect_uri(self):
            return None

        def get_allowed_scope(self, scope):
            return scope or ""

        def check_redirect_uri(self, uri):
            return False

        def check_client_secret(self, secret):
            return secret == self.data.get("clientSecret")

        def check_endpoint_auth_method(self, method, endpoint):
            return method == self.data["authMethod"]

        def check_response_type(self, response_type):
            return False

        def check_grant_type(self, grant_type):
            return grant_type in self.data["grants"]

    clients = {c["clientId"]: Client(c) for c in CONFIG["clients"]}

    class Token(dict):
        def get_scope(self):
            return self.get("scope", "")

        def check_client(self, client):
            return True

        def is_expired(self):
            return self["expires_at"] < time.time()

        def is_revoked(self):
            return False

    def save_token(token, request):
        issued[token["access_token"]] = Token(token, expires_at=time.time() + token.get("expires_in", 3600))

    server = AuthorizationServer(app, query_client=lambda cid: clients.get(cid), save_token=save_token)

    class PasswordGrant(grants.ResourceOwnerPasswordCredentialsGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def authenticate_user(self, username, password):
            user = CONFIG["user"]
            if username == user["username"] and password == user["password"]:
                class User:
                    def get_user_id(self):
                        return username
                return User()
            return None

    class ClientCredentials(grants.ClientCredentialsGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"]

    class Assertion(JWTBearerClientAssertion):
        # RFC 7523's client assertion signed by the client's private key, by its OIDC name.
        CLIENT_AUTH_METHOD = "private_key_jwt"

        def validate_jti(self, claims, jti):
            with LOCK:
                if jti in SEEN_NONCES:
                    return False
                SEEN_NONCES.add(jti)
            return True

        def resolve_client_public_key(self, client, headers):
            return client.data["publicKey"]

    server.register_grant(PasswordGrant)
    server.register_grant(ClientCredentials)
    server.register_client_auth_method(Assertion.CLIENT_AUTH_METHOD, Assertion(CONFIG["tokenURL"], validate_jti=True))

    class Validator(BearerTokenValidator):
        def authenticate_token(self, token_string):
            return issued.get(token_string)

    protect = ResourceProtector()
    protect.register_token_validator(Validator())

    @app.post("/oauth/token")
    def token():
        return server.create_token_response()

    @app.get("/api/me")
    @protect()
    def me():
        return jsonify(checked="Authlib ResourceProtector")

    return app


if __name__ == "__main__":
    if MODE == "cookie":
        serve_flask(cookie_app())
    elif MODE == "oauth2":
        serve_flask(oauth2_app())
    else:
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print("listening %d" % httpd.server_address[1], flush=True)
        httpd.serve_forever()
