package mcpclient

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
)

// Skills (the MCP extension io.modelcontextprotocol/skills, SEP-2640): a
// server lists skills (skills/list), each an entry naming its SKILL.md and
// supporting files as resources, with each file's digest and size and the
// SKILL.md's frontmatter. A host reads a skill's files only when it loads
// the skill ("Lazy retrieval": never on connecting or listing), and before
// using a file it verifies it against the entry: size, then digest; and the
// SKILL.md's YAML frontmatter field by field. On any mismatch the skill is
// not loaded and no further file of it is read ("Integrity and
// verification").

// MethodSkillsList is the extension's listing method.
const MethodSkillsList = "skills/list"

// SkillEntry is one skill of a skills/list result.
type SkillEntry struct {
	URI         string          `json:"uri"` // its SKILL.md
	Frontmatter map[string]any  `json:"frontmatter"`
	Resources   []SkillResource `json:"resources"`
}

// SkillResource is one file of a skill, with what verifies it.
type SkillResource struct {
	URI    string `json:"uri"`
	Digest string `json:"digest"` // "sha256:" and the hex digest
	Size   *int64 `json:"size,omitempty"`
}

type skillsListParams struct {
	mcp.ParamsBase
	Cursor string `json:"cursor,omitempty"`
}

type skillsListResult struct {
	mcp.ResultBase
	Skills     []SkillEntry `json:"skills"`
	NextCursor string       `json:"nextCursor,omitempty"`
}

// addSkillsMethods lets client send the extension's methods.
func addSkillsMethods(client *mcp.Client) {
	// Cannot fail: skills/list is not a standard method.
	_ = mcp.AddSendingCustomMethod[*skillsListParams, *skillsListResult](client, MethodSkillsList)
}

// LoadedSkill is a verified skill: its files' texts, SKILL.md first.
type LoadedSkill struct {
	URI   string      `json:"uri"`
	Files []SkillFile `json:"files"`
}

// SkillFile is one verified file of a skill.
type SkillFile struct {
	URI  string `json:"uri"`
	Text string `json:"text"`
}

// LoadSkill loads the skill whose SKILL.md is uri, as the server's current
// skills/list describes it: each file is read and verified before the next
// is read; a file that fails verification is a [core.ProtocolError] and nothing
// more is read.
func (s *MCPSession) LoadSkill(ctx context.Context, uri string) (*LoadedSkill, error) {
	entry, err := s.skillEntry(ctx, uri)
	if err != nil {
		return nil, err
	}
	loaded := &LoadedSkill{URI: uri}
	files := append([]SkillResource{}, entry.Resources...)
	// SKILL.md first: a skill whose manifest fails is not loaded at all.
	for i, r := range files {
		if r.URI == uri {
			files[0], files[i] = files[i], files[0]
			break
		}
	}
	if len(files) == 0 || files[0].URI != uri {
		return nil, &core.ProtocolError{Reason: fmt.Sprintf("skill %s does not list its SKILL.md among its resources", core.QuoteShort(uri))}
	}
	for i, r := range files {
		text, err := s.readText(ctx, r.URI)
		if err != nil {
			return nil, err
		}
		if err := verifySkillFile(r, text); err != nil {
			return nil, err
		}
		if i == 0 {
			if err := compareFrontmatter(entry.Frontmatter, text); err != nil {
				return nil, err
			}
		}
		loaded.Files = append(loaded.Files, SkillFile{URI: r.URI, Text: text})
	}
	return loaded, nil
}

// ListSkills returns the result of skills/list (one page; params may carry
// a cursor) as JSON. Listing reads no skill file.
func (s *MCPSession) ListSkills(ctx context.Context, cursor string) (json.RawMessage, error) {
	res, err := mcp.CallCustomMethod[*skillsListParams, *skillsListResult](ctx, s.session, MethodSkillsList,
		&skillsListParams{Cursor: cursor})
	if err != nil {
		return nil, s.redact(err)
	}
	return json.Marshal(res)
}

// skillEntry finds the entry of the skill whose SKILL.md is uri.
func (s *MCPSession) skillEntry(ctx context.Context, uri string) (*SkillEntry, error) {
	params := &skillsListParams{}
	for page := 0; page < maxSkillPages; page++ {
		res, err := mcp.CallCustomMethod[*skillsListParams, *skillsListResult](ctx, s.session, MethodSkillsList, params)
		if err != nil {
			return nil, s.redact(err)
		}
		for i := range res.Skills {
			if res.Skills[i].URI == uri {
				return &res.Skills[i], nil
			}
		}
		if res.NextCursor == "" {
			break
		}
		params = &skillsListParams{Cursor: res.NextCursor}
	}
	return nil, &core.ConfigError{Field: "uri", Reason: fmt.Sprintf("the server lists no skill %s", core.QuoteShort(uri))}
}

// maxSkillPages bounds the pages of skills/list read to find one skill.
const maxSkillPages = 100

// readText reads a text resource.
func (s *MCPSession) readText(ctx context.Context, uri string) (string, error) {
	res, err := s.session.ReadResource(ctx, &mcp.ReadResourceParams{URI: uri})
	if err != nil {
		return "", s.redact(err)
	}
	if len(res.Contents) != 1 || res.Contents[0].URI != uri || res.Contents[0].Blob != nil {
		return "", &core.ProtocolError{Reason: fmt.Sprintf("resources/read of %s did not return its one text", core.QuoteShort(uri))}
	}
	return res.Contents[0].Text, nil
}

// verifySkillFile checks a file against its entry: the size, then the
// SHA-256 digest of its UTF-8 bytes.
func verifySkillFile(r SkillResource, text string) error {
	if r.Size != nil && int64(len(text)) != *r.Size {
		return &core.ProtocolError{Reason: fmt.Sprintf("skill file %s has %d bytes, its entry says %d: not loaded", core.QuoteShort(r.URI), len(text), *r.Size)}
	}
	want, ok := strings.CutPrefix(r.Digest, "sha256:")
	sum := sha256.Sum256([]byte(text))
	if !ok || !strings.EqualFold(want, hex.EncodeToString(sum[:])) {
		return &core.ProtocolError{Reason: fmt.Sprintf("skill file %s does not match its entry's digest: not loaded", core.QuoteShort(r.URI))}
	}
	return nil
}

// compareFrontmatter compares the SKILL.md's frontmatter with the entry's,
// field by field: every field of either must be in both, with the same
// value.
func compareFrontmatter(want map[string]any, skillMD string) error {
	got, err := parseFrontmatter(skillMD)
	if err != nil {
		return err
	}
	for k, v := range want {
		s, isString := v.(string)
		if g, ok := got[k]; !ok || !isString || g != s {
			return &core.ProtocolError{Reason: fmt.Sprintf("the SKILL.md's frontmatter field %s differs from its entry: not loaded", core.QuoteShort(k))}
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			return &core.ProtocolError{Reason: fmt.Sprintf("the SKILL.md's frontmatter field %s is not in its entry: not loaded", core.QuoteShort(k))}
		}
	}
	return nil
}

// parseFrontmatter reads the frontmatter block of a SKILL.md: between
// "---" lines at its start, "key: value" lines of scalar strings (the
// subset of YAML the skills' frontmatter uses; quoted values are
// unquoted). Anything else is refused rather than guessed at.
func parseFrontmatter(md string) (map[string]string, error) {
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return nil, &core.ProtocolError{Reason: "the SKILL.md has no frontmatter: not loaded"}
	}
	fields := map[string]string{}
	for _, line := range lines[1:] {
		if strings.TrimSpace(line) == "---" {
			return fields, nil
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") {
			return nil, &core.ProtocolError{Reason: "the SKILL.md's frontmatter is not flat key: value lines: not loaded"}
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			if v[0] == '"' {
				if err := json.Unmarshal([]byte(v), &v); err != nil {
					return nil, &core.ProtocolError{Reason: "the SKILL.md's frontmatter has a malformed quoted value: not loaded"}
				}
			} else {
				v = strings.ReplaceAll(v[1:len(v)-1], "''", "'")
			}
		}
		fields[strings.TrimSpace(k)] = v
	}
	return nil, &core.ProtocolError{Reason: "the SKILL.md's frontmatter is not closed: not loaded"}
}
