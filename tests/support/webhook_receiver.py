"""A webhook receiver for tests: saves each request it gets and answers as told.

Usage: webhook_receiver.py PORT DIR [CERT KEY]
Each request is saved as DIR/NNNN.headers (request line and headers) and DIR/NNNN.body.
The answer's status is read from DIR/status on each request (200 when missing); "hang"
answers nothing for 60 s. A 3xx answer points Location at /moved. With CERT and KEY it
serves HTTPS. Test-only (tests/support/webhook_receiver.h starts it).
"""
import http.server
import os
import ssl
import sys
import time

PORT, DIR = int(sys.argv[1]), sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    def save(self):
        n = len([f for f in os.listdir(DIR) if f.endswith(".headers")])
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(os.path.join(DIR, "%04d.body" % n), "wb") as f:
            f.write(body)
        # The headers file last: a test waits for it and then reads the body.
        with open(os.path.join(DIR, "%04d.headers" % n), "w") as f:
            f.write(self.requestline + "\n" + str(self.headers))

    def answer(self):
        self.save()
        try:
            with open(os.path.join(DIR, "status")) as f:
                status = f.read().strip()
        except FileNotFoundError:
            status = "200"
        if status == "hang":
            time.sleep(60)
            return
        self.send_response(int(status))
        if status.startswith("3"):
            self.send_header("Location", "/moved")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_POST = answer
    do_GET = answer

    def log_message(self, fmt, *args):
        sys.stderr.write(fmt % args + "\n")


server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
if len(sys.argv) > 4:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
