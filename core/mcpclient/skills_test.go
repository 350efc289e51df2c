package mcpclient

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mcp-oauth-client/mcp-oauth-client/core"
	"github.com/mcp-oauth-client/mcp-oauth-client/internal/mcptest"
)

func skillsSession(t *testing.T, tamper string) (*MCPSession, *mcptest.Server) {
	t.Helper()
	return ccSession(t, mcptest.Options{SkillTamper: tamper})
}

// Listing reads no file; loading reads and verifies each, SKILL.md first.
func TestSkillsListAndLoad(t *testing.T) {
	s, srv := skillsSession(t, "")
	ctx := context.Background()
	raw, err := s.ListSkills(ctx, "")
	require.NoError(t, err)
	var list struct{ Skills []SkillEntry }
	require.NoError(t, json.Unmarshal(raw, &list))
	require.Len(t, list.Skills, 1)
	assert.Equal(t, mcptest.SkillURI, list.Skills[0].URI)
	assert.Empty(t, srv.SkillReads(), "no file is read ahead of need")

	loaded, err := s.LoadSkill(ctx, mcptest.SkillURI)
	require.NoError(t, err)
	require.Len(t, loaded.Files, 2)
	assert.Equal(t, mcptest.SkillURI, loaded.Files[0].URI)
	assert.Contains(t, loaded.Files[0].Text, "Say hello.")
	assert.Equal(t, mcptest.SkillFileURI, loaded.Files[1].URI)

	_, err = s.LoadSkill(ctx, "skill://nothing/SKILL.md")
	var cfgErr *core.ConfigError
	assert.ErrorAs(t, err, &cfgErr)
}

// A SKILL.md that fails verification — digest, size or frontmatter — is a
// core.ProtocolError, and no further file of the skill is read.
func TestSkillsTamperedNotLoaded(t *testing.T) {
	for _, tamper := range []string{"digest", "size", "frontmatter"} {
		t.Run(tamper, func(t *testing.T) {
			s, srv := skillsSession(t, tamper)
			loaded, err := s.LoadSkill(context.Background(), mcptest.SkillURI)
			var protoErr *core.ProtocolError
			require.ErrorAs(t, err, &protoErr)
			assert.Nil(t, loaded)
			assert.Contains(t, err.Error(), "not loaded")
			assert.Equal(t, map[string]int{mcptest.SkillURI: 1}, srv.SkillReads(), "the supporting file is never read")
		})
	}
}

func TestSkillsFrontmatterParsing(t *testing.T) {
	for md, ok := range map[string]bool{
		"---\nname: a\ndescription: \"quoted: yes\"\n---\nbody": true,
		"---\nname: 'it''s'\ndescription: d\n---\n":             true,
		"no frontmatter":                 false,
		"---\nname: a\n":                 false, // not closed
		"---\nname:\n  nested: x\n---\n": false, // not flat
	} {
		_, err := parseFrontmatter(md)
		assert.Equal(t, ok, err == nil, md)
	}
	fm, err := parseFrontmatter("---\nname: 'it''s'\ndescription: \"quoted: yes\"\n---\n")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"name": "it's", "description": "quoted: yes"}, fm)
	assert.Error(t, compareFrontmatter(map[string]any{"name": "a"}, "---\nname: a\nextra: b\n---\n"), "a field the entry lacks")
	assert.Error(t, compareFrontmatter(map[string]any{"name": "a", "description": "d"}, "---\nname: a\n---\n"), "a field the file lacks")
	assert.NoError(t, compareFrontmatter(map[string]any{"name": "a"}, "---\nname: a\n---\n"))
}
