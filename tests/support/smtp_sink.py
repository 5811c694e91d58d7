# An aiosmtpd handler for tests: saves every message it accepts as NNNN.eml (raw bytes,
# as received after SMTP dot-unstuffing) plus NNNN.env (envelope: MAIL FROM, then one
# RCPT TO per line) in the directory given as the class argument. Test-only.
#
#   PYTHONPATH=tests/support /usr/bin/python3 -m aiosmtpd -n -c smtp_sink.Saver \
#       -l 127.0.0.1:PORT DIR
import os


class Saver:
    def __init__(self, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self.count = 0

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("smtp_sink.Saver takes one argument: the output directory")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "%04d" % self.count)
        with open(base + ".env.tmp", "w") as f:
            f.write(envelope.mail_from + "\n")
            for rcpt in envelope.rcpt_tos:
                f.write(rcpt + "\n")
        with open(base + ".eml.tmp", "wb") as f:
            content = envelope.original_content or envelope.content
            f.write(content if isinstance(content, bytes) else content.encode("utf-8"))
        # Envelope first, message last: a test that sees the .eml can read both.
        os.rename(base + ".env.tmp", base + ".env")
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 Message accepted for delivery"
