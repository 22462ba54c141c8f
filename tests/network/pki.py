"""The network world's certificates, made with the openssl command line at test
time: nothing is checked in and nothing expires in the tree.

Like a real site's: a root CA (valid for twenty years, ten of them past), an
intermediate that signs the leaves, and a leaf per host that the server sends
with the intermediate.  A client trusts the root only (the config's ca_file).
Leaf variants, each for one host name:

  valid          issued 30 days ago, valid for 60 more
  expiring_soon  issued 89 days ago, expires in 20 hours
  expired        expired 2 days ago
  not_yet_valid  valid from 10 days from now
  inspection     valid dates, but signed by a "Corporate Inspection CA" that the
                 client does not trust: what a TLS-intercepting middlebox shows

Leaves are made on first use and kept for the run (a lock makes that safe
from several threads).
"""

import datetime
import os
import secrets
import subprocess
import threading

VARIANTS = ("valid", "expiring_soon", "expired", "not_yet_valid", "inspection")

# (start, end) relative to now
_LEAF_DATES = {
    "valid": (datetime.timedelta(days=-30), datetime.timedelta(days=60)),
    "expiring_soon": (datetime.timedelta(days=-89), datetime.timedelta(hours=20)),
    "expired": (datetime.timedelta(days=-92), datetime.timedelta(days=-2)),
    "not_yet_valid": (datetime.timedelta(days=10), datetime.timedelta(days=100)),
    "inspection": (datetime.timedelta(days=-1), datetime.timedelta(days=30)),
}

_CA_CNF = """\
[ca]
default_ca = world_ca
[world_ca]
dir = {dir}
database = {dir}/index.txt
new_certs_dir = {dir}/newcerts
serial = {dir}/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
email_in_dn = no
[anything]
commonName = supplied
organizationName = optional
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
"""

_CA_EXT = ["basicConstraints = critical,CA:TRUE", "keyUsage = critical,keyCertSign,cRLSign",
           "subjectKeyIdentifier = hash"]


class PkiError(RuntimeError):
    pass


def _stamp(delta):
    t = datetime.datetime.now(datetime.timezone.utc) + delta
    return t.strftime("%Y%m%d%H%M%SZ")


class Pki:
    def __init__(self, directory):
        self.dir = directory
        self.lock = threading.Lock()
        self.leaves = {}
        os.makedirs(os.path.join(self.dir, "newcerts"), exist_ok=True)
        with open(os.path.join(self.dir, "index.txt"), "w"):
            pass
        self.cnf = os.path.join(self.dir, "ca.cnf")
        with open(self.cnf, "w") as f:
            f.write(_CA_CNF.format(dir=self.dir))
        years = datetime.timedelta(days=365)
        self._ca("root", "isitdown world Root CA", None, -10 * years, 10 * years)
        self._ca("intermediate", "isitdown world TLS CA 1", "root", -5 * years, 5 * years)
        self._ca("inspection", "Corporate Inspection CA", None, -2 * years, 8 * years)
        # what a client trusts: the root only; servers send the intermediate
        self.ca_file = os.path.join(self.dir, "root.pem")
        self.inspection_ca_file = os.path.join(self.dir, "inspection.pem")

    def _run(self, args):
        proc = subprocess.run(["openssl"] + args, cwd=self.dir, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            raise PkiError("openssl %s failed: %s" % (" ".join(args[:2]), proc.stderr.strip()))

    def _ext(self, name, lines):
        path = os.path.join(self.dir, name + ".ext")
        with open(path, "w") as f:
            f.write("[v3]\n" + "\n".join(lines) + "\n")
        return path

    def _sign(self, name, issuer, start, end, ext_lines, selfsign=False):
        with open(os.path.join(self.dir, "serial"), "w") as f:
            f.write("%016X\n" % secrets.randbits(63))
        args = ["ca", "-batch", "-notext", "-config", self.cnf, "-in", name + ".csr", "-out", name + ".pem",
                "-startdate", _stamp(start), "-enddate", _stamp(end), "-md", "sha256",
                "-extfile", self._ext(name, ext_lines), "-extensions", "v3"]
        if selfsign:
            args += ["-selfsign", "-keyfile", name + ".key"]
        else:
            args += ["-cert", issuer + ".pem", "-keyfile", issuer + ".key"]
        self._run(args)

    def _csr(self, name, cn):
        self._run(["req", "-new", "-config", self.cnf, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                   "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/O=isitdown world/CN=" + cn])

    def _ca(self, name, cn, issuer, start, end):
        self._csr(name, cn)
        ext = _CA_EXT + ([] if issuer is None else ["authorityKeyIdentifier = keyid,issuer"])
        self._sign(name, issuer, start, end, ext, selfsign=issuer is None)

    def leaf(self, host, variant="valid"):
        """(chain file, key file) for host: the leaf, then the certificate that
        signed it (unless that is a root)."""
        if variant not in VARIANTS:
            raise ValueError("no certificate variant %r" % variant)
        with self.lock:
            key = (host, variant)
            if key not in self.leaves:
                self.leaves[key] = self._make_leaf(host, variant)
            return self.leaves[key]

    def _make_leaf(self, host, variant):
        name = "%s-%s" % (host.replace(":", "_"), variant)
        issuer = "inspection" if variant == "inspection" else "intermediate"
        start, end = _LEAF_DATES[variant]
        san = "IP:" + host if host[0].isdigit() else "DNS:" + host
        self._csr(name, host)
        self._sign(name, issuer, start, end, [
            "basicConstraints = critical,CA:FALSE",
            "keyUsage = critical,digitalSignature",
            "extendedKeyUsage = serverAuth",
            "subjectKeyIdentifier = hash",
            "authorityKeyIdentifier = keyid,issuer",
            "subjectAltName = " + san,
        ])
        chain = os.path.join(self.dir, name + "-chain.pem")
        with open(chain, "w") as out:
            for part in [name] + (["intermediate"] if issuer == "intermediate" else []):
                with open(os.path.join(self.dir, part + ".pem")) as f:
                    out.write(f.read())
        return chain, os.path.join(self.dir, name + ".key")
