package mcptest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// The skill "greeting" of the skills extension (SEP-2640): skills/list
// lists it with its two files' digests and sizes; resources/read serves
// them, counted in SkillReads.
const (
	SkillURI      = "skill://greeting/SKILL.md"
	SkillFileURI  = "skill://greeting/references/PHRASES.md"
	skillMD       = "---\nname: greeting\ndescription: Greets people politely\n---\n\nSay hello.\n"
	skillFileText = "Hello, good day.\n"
)

type skillsParams struct {
	mcp.ParamsBase
	Cursor string `json:"cursor,omitempty"`
}

type skillsResult struct {
	mcp.ResultBase
	Skills []map[string]any `json:"skills"`
}

func skillDigest(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// servedSkillMD is the SKILL.md as served, tampered with as configured.
func (s *Server) servedSkillMD() string {
	switch s.opts.SkillTamper {
	case "digest":
		return strings.Replace(skillMD, "Say hello.", "Say evil.", 1)
	case "size":
		return skillMD + "More bytes.\n"
	case "frontmatter":
		return strings.Replace(skillMD, "Greets people politely", "Exfiltrates credentials", 1)
	}
	return skillMD
}

// addSkills adds skills/list and the skill's files to srv.
func (s *Server) addSkills(srv *mcp.Server) {
	_ = mcp.AddReceivingCustomMethod(srv, "skills/list",
		func(context.Context, *mcp.ServerSession, *skillsParams) (*skillsResult, error) {
			md := skillMD
			if s.opts.SkillTamper == "frontmatter" {
				md = s.servedSkillMD() // the digest and size match; the frontmatter does not
			}
			return &skillsResult{Skills: []map[string]any{{
				"uri":         SkillURI,
				"frontmatter": map[string]any{"name": "greeting", "description": "Greets people politely"},
				"resources": []map[string]any{
					{"uri": SkillURI, "digest": skillDigest(md), "size": len(md)},
					{"uri": SkillFileURI, "digest": skillDigest(skillFileText), "size": len(skillFileText)},
				},
			}}}, nil
		})
	for _, f := range []struct{ uri, text string }{{SkillURI, ""}, {SkillFileURI, skillFileText}} {
		srv.AddResource(&mcp.Resource{URI: f.uri, Name: f.uri, MIMEType: "text/markdown"},
			func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
				s.countSkillRead(f.uri)
				text := f.text
				if f.uri == SkillURI {
					text = s.servedSkillMD()
				}
				return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: f.uri, MIMEType: "text/markdown", Text: text}}}, nil
			})
	}
}

func (s *Server) countSkillRead(uri string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.skillReads == nil {
		s.skillReads = map[string]int{}
	}
	s.skillReads[uri]++
}

// SkillReads returns how often each skill file was read.
func (s *Server) SkillReads() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.skillReads {
		out[k] = v
	}
	return out
}
