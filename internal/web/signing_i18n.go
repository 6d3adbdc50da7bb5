package web

// Words of the signing keys and document check pages (issue 15 item 1), in
// Chinese and English.
var signingMessages = map[string][2]string{
	"nav.signing":            {"签名密钥", "Signing keys"},
	"nav.verify":             {"验证文件", "Check a document"},
	"signing.title":          {"签名密钥", "Signing keys"},
	"signing.intro":          {"平台以各机构的SM2密钥（SM3摘要）对上报的报告、预警通报、风险通报、响应结束通知和导出的文件签名。这里列出本机构、上级机构和下级机构公布的密钥；下载信任文件后，可用命令行工具 fenghuo verify 离线验证收到的文件。", "The platform signs reports sent up the chain, warning notices, risk notices, response end notices and exported documents with each office's SM2 key (SM3 digests). Listed here are the keys published by your office, the offices above it and those below it; with the trust file, `fenghuo verify FILE --keys TRUST.json` checks a received document offline."},
	"signing.download":       {"下载信任文件（JSON）", "Download the trust file (JSON)"},
	"signing.office":         {"机构", "Office"},
	"signing.relation":       {"关系", "Relation"},
	"signing.relation.self":  {"本机构", "Your office"},
	"signing.relation.above": {"上级", "Above"},
	"signing.relation.below": {"下级", "Below"},
	"signing.fingerprint":    {"密钥指纹", "Fingerprint"},
	"signing.from":           {"启用时间", "From"},
	"signing.until":          {"停用时间", "Until"},
	"signing.current":        {"当前使用", "Current"},
	"signing.rotate":         {"轮换密钥", "Rotate"},
	"signing.rotate.confirm": {"轮换后新签名使用新密钥，旧密钥停用，已签文件仍可验证。确定轮换？", "New signatures will use a new key and this one is retired; documents signed before still verify. Rotate?"},
	"signing.create":         {"生成密钥", "Create a key"},
	"signing.keyless":        {"尚无签名密钥的机构", "Offices without a signing key yet"},
	"signing.keyless.hint":   {"机构第一次签名时自动生成密钥；系统管理员也可以提前生成。", "An office gets its key when it first signs; a system administrator may create it beforehand."},
	"signing.none":           {"暂无已公布的签名密钥：机构第一次上报或导出文件时生成。", "No keys published yet: an office's key is made when it first reports or exports."},
	"signing.rotated":        {"密钥已轮换：此后的签名使用新密钥，旧密钥签过的文件仍可验证。", "Key rotated: new signatures use the new key; documents signed with the old one still verify."},
	"signing.created":        {"已生成签名密钥。", "The signing key was created."},
	"signing.unsigned":       {"未签名（签名功能启用前发出）", "Not signed (issued before signatures existed)"},
	"signing.label":          {"数字签名", "Signature"},
	"signing.check":          {"验证收到的文件", "Check a received document"},
	"verify.title":           {"验证文件签名", "Check a document's signature"},
	"verify.intro":           {"上传收到的DOCX、XLSX或PDF文件，检查是谁签名、签名后是否被改动。文件只在内存中检查，不会保存。", "Upload a DOCX, XLSX or PDF you received to see who signed it and whether it changed since. The file is checked in memory and not kept."},
	"verify.file":            {"文件（不超过%dMB）", "File (at most %d MB)"},
	"verify.submit":          {"验证", "Check"},
	"verify.result":          {"验证结果", "Result"},
	"verify.good":            {"签名有效", "Signature valid"},
	"verify.bad":             {"验证未通过", "Check failed"},
	"verify.name":            {"文件名", "File"},
	"verify.signer":          {"签名机构", "Signed by"},
	"verify.time":            {"签名时间", "Signed at"},
	"verify.key":             {"密钥指纹", "Key"},
	"verify.nofile":          {"请选择要验证的文件（不超过%dMB）。", "Choose the file to check (at most %d MB)."},
	"verify.keys":            {"查看已公布的签名密钥", "See the published signing keys"},
}

func init() {
	for k, m := range signingMessages {
		messages[k] = m
	}
	pages = append(pages, "signing_keys", "verify")
}
