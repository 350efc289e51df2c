//go:build !windows && !darwin

package keyringstore

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSessionKeyAgreement: both halves of the key agreement derive the
// same 16-byte key; a degenerate public value is refused.
func TestSessionKeyAgreement(t *testing.T) {
	client, err := newDHKey()
	require.NoError(t, err)
	service, err := newDHKey()
	require.NoError(t, err)
	k1, err := client.sessionKey(service.pub)
	require.NoError(t, err)
	k2, err := service.sessionKey(client.pub)
	require.NoError(t, err)
	assert.Equal(t, k1, k2)
	assert.Len(t, k1, 16)
	assert.Len(t, client.pub, groupBytes)

	pMinus1 := new(big.Int).Sub(ietf1024, big.NewInt(1)).Bytes()
	for _, bad := range [][]byte{nil, {0}, {1}, pMinus1, ietf1024.Bytes()} {
		_, err := client.sessionKey(bad)
		assert.Error(t, err, "public value %x", bad)
	}
}

// TestSessionEncryption: a secret round-trips through AES-128-CBC with
// PKCS#7 padding (a full block of padding for a multiple of 16); bad
// padding, a bad IV or a truncated ciphertext is refused.
func TestSessionEncryption(t *testing.T) {
	key := make([]byte, 16)
	for _, plain := range []string{"", "x", "0123456789abcdef", `{"access_token":"a much longer token value"}`} {
		iv, ct, err := encrypt(key, []byte(plain))
		require.NoError(t, err)
		assert.Len(t, ct, (len(plain)/16+1)*16)
		got, err := decrypt(key, iv, ct)
		require.NoError(t, err)
		assert.Equal(t, plain, string(got))
	}
	iv, ct, err := encrypt(key, []byte("secret"))
	require.NoError(t, err)
	block, err := aes.NewCipher(key)
	require.NoError(t, err)
	for _, last := range []byte{0, 17, 2} { // pad 0, pad > 16, pad bytes that differ
		padded := bytes.Repeat([]byte{1}, 16)
		padded[15] = last
		bad := make([]byte, 16)
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(bad, padded)
		_, err = decrypt(key, iv, bad)
		assert.ErrorIs(t, err, errGarbled, "padding ending %d", last)
	}
	_, err = decrypt(key, iv[:8], ct)
	assert.ErrorIs(t, err, errGarbled)
	_, err = decrypt(key, iv, ct[:len(ct)-1])
	assert.ErrorIs(t, err, errGarbled)
}
