"""Test certificates made with openssl's command line (a package of the test set-up)."""

import subprocess


def make_ca_and_server_cert(d):
    """A test CA and a certificate it signs for 127.0.0.1, with openssl's command line."""
    def ssl_cmd(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=d)
    ssl_cmd("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
            "-days", "2", "-subj", "/CN=crypto-trading test CA")
    ssl_cmd("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=127.0.0.1")
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    ssl_cmd("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext")
    return d / "ca.pem", d / "server.pem", d / "server.key"
