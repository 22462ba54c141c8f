/* presets.c: the built-in configurations, compiled in as JSON text.
 *
 * A preset is the text of a config file, so config_parse validates it exactly as it
 * validates a user's file, and `isitdown --print-config` shows a preset as a file a
 * user can copy and edit. The table is static and read-only.
 *
 * Every preset has the same shape: two control targets that tell "it's down" from
 * "it's me" (a TCP connect to an IP literal, which needs no DNS, and a well-known
 * name over HTTPS), DNS for the service's names, the web front end, the API, a
 * model's answer (only with a key), and the official status page. Component names follow the status page's own where it
 * has a matching one. */
#include "presets.h"

#include <stddef.h>
#include <string.h>

/* The controls belong to no service: 1.1.1.1:443 answers without DNS, and
 * generate_204 is served by a network that is rarely down at the same time. */
#define CONTROL_TARGETS \
	"    {\"name\": \"control-ip\", \"kind\": \"tcp\", \"host\": \"1.1.1.1\", \"port\": 443,\n" \
	"     \"role\": \"control\"},\n" \
	"    {\"name\": \"control-name\", \"kind\": \"http\", \"method\": \"HEAD\",\n" \
	"     \"url\": \"https://www.google.com/generate_204\", \"expect_status\": [204, 200],\n" \
	"     \"role\": \"control\"},\n"

/* The models the llm targets ask, one small and cheap one per provider, named
 * here only. Each such target is skipped unless its key is set: it costs money
 * (288 tiny requests a day at its 300 s interval). */
#define OPENAI_PROBE_MODEL "gpt-4o-mini"
#define ANTHROPIC_PROBE_MODEL "claude-haiku-4-5"

/* chatgpt.com sits behind a bot challenge: a 403 still proves the front end
 * answers, and the probe classifies the challenge. The API answers 401 without a
 * key, which proves it is up; with a key only 200 will do. */
static const char openai_json[] =
	"{\n"
	"  \"service\": \"OpenAI\",\n"
	"  \"targets\": [\n"
	CONTROL_TARGETS
	"    {\"name\": \"dns-chatgpt\", \"kind\": \"dns\", \"host\": \"chatgpt.com\",\n"
	"     \"component\": \"ChatGPT\"},\n"
	"    {\"name\": \"dns-api\", \"kind\": \"dns\", \"host\": \"api.openai.com\",\n"
	"     \"component\": \"API\"},\n"
	"    {\"name\": \"chatgpt-web\", \"kind\": \"http\", \"url\": \"https://chatgpt.com/\",\n"
	"     \"component\": \"ChatGPT\", \"expect_status\": [200, 403]},\n"
	"    {\"name\": \"api\", \"kind\": \"http\", \"url\": \"https://api.openai.com/v1/models\",\n"
	"     \"component\": \"API\",\n"
	"     \"headers\": {\"Authorization\": \"Bearer ${OPENAI_API_KEY}\"},\n"
	"     \"expect_status\": [200, 401], \"expect_status_with_key\": [200],\n"
	"     \"differential\": true},\n"
	"    {\"name\": \"" OPENAI_PROBE_MODEL "\", \"kind\": \"llm\", \"api\": \"openai-chat\",\n"
	"     \"url\": \"https://api.openai.com/v1/chat/completions\", \"model\": \"" OPENAI_PROBE_MODEL "\",\n"
	"     \"component\": \"API\",\n"
	"     \"headers\": {\"Authorization\": \"Bearer ${OPENAI_API_KEY}\"}},\n"
	"    {\"name\": \"status-page\", \"kind\": \"statuspage\",\n"
	"     \"url\": \"https://status.openai.com/api/v2/summary.json\",\n"
	"     \"components_url\": \"https://status.openai.com/api/v2/components.json\"}\n"
	"  ]\n"
	"}\n";

/* The Anthropic API wants anthropic-version on every request; without a key it
 * answers 401. status.anthropic.com redirects to status.claude.com. */
static const char anthropic_json[] =
	"{\n"
	"  \"service\": \"Anthropic\",\n"
	"  \"targets\": [\n"
	CONTROL_TARGETS
	"    {\"name\": \"dns-claude\", \"kind\": \"dns\", \"host\": \"claude.ai\",\n"
	"     \"component\": \"claude.ai\"},\n"
	"    {\"name\": \"dns-api\", \"kind\": \"dns\", \"host\": \"api.anthropic.com\",\n"
	"     \"component\": \"Claude API (api.anthropic.com)\"},\n"
	"    {\"name\": \"claude-web\", \"kind\": \"http\", \"url\": \"https://claude.ai/\",\n"
	"     \"component\": \"claude.ai\", \"expect_status\": [200, 403]},\n"
	"    {\"name\": \"api\", \"kind\": \"http\", \"url\": \"https://api.anthropic.com/v1/models\",\n"
	"     \"component\": \"Claude API (api.anthropic.com)\",\n"
	"     \"headers\": {\"x-api-key\": \"${ANTHROPIC_API_KEY}\",\n"
	"                 \"anthropic-version\": \"2023-06-01\"},\n"
	"     \"expect_status\": [200, 401], \"expect_status_with_key\": [200],\n"
	"     \"differential\": true},\n"
	"    {\"name\": \"" ANTHROPIC_PROBE_MODEL "\", \"kind\": \"llm\", \"api\": \"anthropic-messages\",\n"
	"     \"url\": \"https://api.anthropic.com/v1/messages\", \"model\": \"" ANTHROPIC_PROBE_MODEL "\",\n"
	"     \"component\": \"Claude API (api.anthropic.com)\",\n"
	"     \"headers\": {\"x-api-key\": \"${ANTHROPIC_API_KEY}\"}},\n"
	"    {\"name\": \"status-page\", \"kind\": \"statuspage\",\n"
	"     \"url\": \"https://status.claude.com/api/v2/summary.json\",\n"
	"     \"components_url\": \"https://status.claude.com/api/v2/components.json\"}\n"
	"  ]\n"
	"}\n";

/* /rate_limit is the one REST endpoint that does not count against the 60
 * requests an hour GitHub allows without authentication; the API answers 403 to a
 * request without a User-Agent, which curl sends only when the probe sets one. */
static const char github_json[] =
	"{\n"
	"  \"service\": \"GitHub\",\n"
	"  \"targets\": [\n"
	CONTROL_TARGETS
	"    {\"name\": \"dns-github\", \"kind\": \"dns\", \"host\": \"github.com\",\n"
	"     \"component\": \"github.com\"},\n"
	"    {\"name\": \"dns-api\", \"kind\": \"dns\", \"host\": \"api.github.com\",\n"
	"     \"component\": \"API Requests\"},\n"
	"    {\"name\": \"github-web\", \"kind\": \"http\", \"method\": \"HEAD\",\n"
	"     \"url\": \"https://github.com/\", \"component\": \"github.com\",\n"
	"     \"expect_status\": [200]},\n"
	"    {\"name\": \"api\", \"kind\": \"http\", \"url\": \"https://api.github.com/rate_limit\",\n"
	"     \"component\": \"API Requests\",\n"
	"     \"headers\": {\"Accept\": \"application/vnd.github+json\"},\n"
	"     \"expect_status\": [200], \"differential\": true},\n"
	"    {\"name\": \"status-page\", \"kind\": \"statuspage\",\n"
	"     \"url\": \"https://www.githubstatus.com/api/v2/summary.json\",\n"
	"     \"components_url\": \"https://www.githubstatus.com/api/v2/components.json\"}\n"
	"  ]\n"
	"}\n";

static const struct preset presets[] = {
	{"openai", "ChatGPT, the OpenAI API and status.openai.com (the default)", openai_json},
	{"anthropic", "claude.ai, the Anthropic API and status.claude.com", anthropic_json},
	{"github", "github.com, the GitHub API and www.githubstatus.com", github_json},
};

static const char *const names[] = {"openai", "anthropic", "github", NULL};

const struct preset *presets_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(presets) / sizeof(presets[0]); i++) {
		if (strcmp(presets[i].name, name) == 0)
			return &presets[i];
	}
	return NULL;
}

const char *const *presets_names(void)
{
	return names;
}
