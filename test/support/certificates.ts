import forge from 'node-forge';

export interface Pem {
  cert: string;
  key: string;
}

export interface TestPki {
  ca: Pem;
  server: Pem;
  client: Pem;
  /** A client certificate from a CA the server does not trust. */
  stranger: Pem;
}

/** A throwaway CA with a server certificate (for `serverName`) and client certificates, for mTLS tests. */
export function makeTestPki(serverName: string): TestPki {
  const ca = issue({ commonName: 'CapitolScope Test CA', isCa: true });
  return {
    ca: pem(ca),
    server: pem(issue({ commonName: serverName, dnsName: serverName, issuer: ca, usage: 'serverAuth' })),
    client: pem(issue({ commonName: 'capitolscope-worker', issuer: ca, usage: 'clientAuth' })),
    stranger: pem(issue({ commonName: 'stranger', usage: 'clientAuth' })),
  };
}

interface Issued {
  cert: forge.pki.Certificate;
  keys: forge.pki.rsa.KeyPair;
}

function issue(o: {
  commonName: string;
  isCa?: boolean;
  dnsName?: string;
  issuer?: Issued;
  usage?: 'serverAuth' | 'clientAuth';
}): Issued {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = forge.util.bytesToHex(forge.random.getBytesSync(8)).replace(/^[89a-f]/, '1');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  const subject = [{ name: 'commonName', value: o.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(o.issuer ? o.issuer.cert.subject.attributes : subject);
  const extensions: object[] = [{ name: 'basicConstraints', cA: Boolean(o.isCa) }];
  if (o.isCa) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true });
  else extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true });
  if (o.usage) extensions.push({ name: 'extKeyUsage', [o.usage]: true });
  if (o.dnsName) extensions.push({ name: 'subjectAltName', altNames: [{ type: 2, value: o.dnsName }] });
  cert.setExtensions(extensions);
  cert.sign((o.issuer ?? { keys }).keys.privateKey, forge.md.sha256.create());
  return { cert, keys };
}

function pem({ cert, keys }: Issued): Pem {
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}
