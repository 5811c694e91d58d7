#!/usr/bin/python3
"""Sends a syslog file (one RFC 5424 message a line, as generate.py writes it) to a
Probity TCP listener with RFC 6587 octet-counted framing, as fast as the socket takes it.
`logger` starts one process per message; this sends tens of thousands a second.

    /usr/bin/python3 deploy/demo/send.py events.log [HOST [PORT]]

Prints the number of messages sent.
"""
import socket
import sys


def main():
    path = sys.argv[1]
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 5514
    sent = 0
    with socket.create_connection((host, port)) as sock, open(path, "rb") as f:
        batch = []
        for line in f:
            msg = line.rstrip(b"\r\n")
            if not msg:
                continue
            batch.append(b"%d %s" % (len(msg), msg))
            sent += 1
            if len(batch) >= 512:
                sock.sendall(b"".join(batch))
                batch = []
        if batch:
            sock.sendall(b"".join(batch))
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(5)
        try:
            while sock.recv(4096):
                pass
        except OSError:
            pass
    print(sent)


if __name__ == "__main__":
    main()
