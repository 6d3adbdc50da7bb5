package api

// Schemas of SM2 signatures and the offices' signing keys (issue 15 item 1).

func signingSchemas() obj {
	der := obj{"type": "string", "contentEncoding": "base64", "description": "SubjectPublicKeyInfo DER of the SM2 public key"}
	keyID := obj{"type": "string", "description": "Hex SM3 digest of the public key's DER"}
	return obj{
		"Signature": object(obj{"signed": boolean, "valid": boolean,
			"failure":   enum("not_signed", "block_damaged", "content_changed", "signature_invalid", "key_unknown", "key_revoked", "key_retired", "unreadable"),
			"office_id": integer, "office": str, "key_id": keyID, "signed_at": when,
			"trust":   enum("current", "retired", "unchecked"),
			"message": obj{"type": "string", "description": "Who signed and whether it changed, or the named failure, in the answer's language"}},
			"signed", "valid", "message"),
		"SigningKey": object(obj{"org_id": integer, "office": str, "key_id": keyID, "public_key": der, "from": when, "retired_at": whenNil,
			"relation": enum("self", "above", "below"), "may_rotate": boolean}),
		"SigningKeyList": object(obj{"items": arrayOf(ref("SigningKey")), "total": integer}, "items", "total"),
		"SigningKeyRotated": object(obj{"org_id": integer, "key_id": keyID, "from": when,
			"retired_key_id": obj{"type": []string{"string", "null"}}}),
		"TrustFile": object(obj{"format": enum("fenghuo-signing-keys/1"), "generated_at": when,
			"keys": arrayOf(object(obj{"office_id": integer, "office": str, "key_id": keyID, "public_key": der, "from": when,
				"retired_at": when, "revoked_at": when}))}),
	}
}
