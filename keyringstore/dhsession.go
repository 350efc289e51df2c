//go:build !windows && !darwin

package keyringstore

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"math/big"
)

// The Secret Service session algorithm dh-ietf1024-sha256-aes128-cbc-pkcs7
// (freedesktop Secret Service API, "Transfer of Secrets"): the client and
// the service agree on a key by Diffie-Hellman in the 1024-bit MODP group
// of RFC 2409 §6.2 (generator 2); the shared secret, big-endian and padded
// with zeros to the group's 128 bytes, goes through HKDF-SHA256 (RFC 5869,
// no salt, no info) to a 16-byte AES key; each secret then travels
// AES-128-CBC encrypted with PKCS#7 padding (RFC 5652 §6.3), its random IV
// as the Secret's parameters. The bus is a local socket of the user: the
// encryption keeps secrets out of what a bus monitor or a log of the bus
// sees, and 1024-bit DH is the only encrypted algorithm the API defines.
const dhAlgorithm = "dh-ietf1024-sha256-aes128-cbc-pkcs7"

// ietf1024 is the prime of RFC 2409 §6.2 (the Second Oakley Group).
var ietf1024, _ = new(big.Int).SetString(
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"+
		"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"+
		"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"+
		"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"+
		"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"+
		"FFFFFFFFFFFFFFFF", 16)

// groupBytes is the size of the group's elements, in bytes.
const groupBytes = 128

// dhKey is the client's half of the key agreement.
type dhKey struct {
	priv *big.Int
	pub  []byte // 2^priv mod p, big-endian: OpenSession's input
}

func newDHKey() (*dhKey, error) {
	// A private exponent in [2, p-2].
	priv, err := rand.Int(rand.Reader, new(big.Int).Sub(ietf1024, big.NewInt(3)))
	if err != nil {
		return nil, err
	}
	priv.Add(priv, big.NewInt(2))
	pub := new(big.Int).Exp(big.NewInt(2), priv, ietf1024)
	return &dhKey{priv: priv, pub: pub.FillBytes(make([]byte, groupBytes))}, nil
}

// sessionKey is the AES-128 key agreed with the service, whose public
// value is peer (OpenSession's output).
func (k *dhKey) sessionKey(peer []byte) ([]byte, error) {
	y := new(big.Int).SetBytes(peer)
	// A public value outside (1, p-1) would force a known shared secret.
	if y.Cmp(big.NewInt(1)) <= 0 || y.Cmp(new(big.Int).Sub(ietf1024, big.NewInt(1))) >= 0 {
		return nil, errors.New("the Secret Service sent an invalid Diffie-Hellman public value")
	}
	shared := new(big.Int).Exp(y, k.priv, ietf1024).FillBytes(make([]byte, groupBytes))
	return hkdf.Key(sha256.New, shared, nil, "", 16)
}

// encrypt returns the IV and the AES-128-CBC, PKCS#7-padded ciphertext of
// plain under key.
func encrypt(key, plain []byte) (iv, ciphertext []byte, err error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, nil, err
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	padded := append(bytes.Clone(plain), bytes.Repeat([]byte{byte(pad)}, pad)...)
	iv = make([]byte, aes.BlockSize)
	if _, err := rand.Read(iv); err != nil {
		return nil, nil, err
	}
	ciphertext = make([]byte, len(padded))
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(ciphertext, padded)
	return iv, ciphertext, nil
}

// errGarbled: a secret that does not decrypt under the session key.
var errGarbled = errors.New("a secret from the Secret Service does not decrypt with the session key")

// decrypt undoes encrypt.
func decrypt(key, iv, ciphertext []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	if len(iv) != aes.BlockSize || len(ciphertext) == 0 || len(ciphertext)%aes.BlockSize != 0 {
		return nil, errGarbled
	}
	plain := make([]byte, len(ciphertext))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, ciphertext)
	pad := int(plain[len(plain)-1])
	if pad == 0 || pad > aes.BlockSize || !bytes.Equal(plain[len(plain)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, errGarbled
	}
	return plain[:len(plain)-pad], nil
}
