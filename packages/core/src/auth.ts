// PLACEHOLDER: the auth work replaces this file (extractToken, checkToken, signBody, verifySignature).
export {};
