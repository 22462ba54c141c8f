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
#include <stdio.h>
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
#define MISTRAL_PROBE_MODEL "mistral-small-latest"
#define GROQ_PROBE_MODEL "llama-3.1-8b-instant"
#define DEEPSEEK_PROBE_MODEL "deepseek-chat"

/* An llm target on an API of OpenAI's chat completions shape. */
#define CHAT_PROBE(model, url, var) \
	"    {\"name\": \"" model "\", \"kind\": \"llm\", \"api\": \"openai-chat\",\n" \
	"     \"url\": \"" url "\", \"model\": \"" model "\",\n" \
	"     \"component\": \"API\",\n" \
	"     \"headers\": {\"Authorization\": \"Bearer ${" var "}\"}},\n"

/* chatgpt.com sits behind a bot challenge: a 403 still proves the front end
 * answers, and the probe classifies the challenge. The API answers 401 without a
 * key, which proves it is up; with a key only 200 will do. */
static const char openai_json[] =
	"{\n"
	"  \"service\": \"OpenAI\",\n"
	"  \"group\": \"AI assistants\",\n"
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
	"  \"group\": \"AI assistants\",\n"
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

/* The Gemini API (AI Studio's, generativelanguage.googleapis.com) takes its key
 * in x-goog-api-key and answers 403 PERMISSION_DENIED ("Method doesn't allow
 * unregistered callers") without one. Google publishes no machine-readable
 * status for it (aistudio.google.com/status is a web page); the nearest is
 * Google Cloud's incident feed, which names Vertex AI's Gemini products and runs
 * past the default body cap (1.3 MB in 2022): it is read every 5 minutes, and a
 * product it does not name counts as operational. */
static const char gemini_json[] =
	"{\n"
	"  \"service\": \"Gemini\",\n"
	"  \"group\": \"AI assistants\",\n"
	"  \"targets\": [\n"
	CONTROL_TARGETS
	"    {\"name\": \"dns-gemini\", \"kind\": \"dns\", \"host\": \"gemini.google.com\",\n"
	"     \"component\": \"Gemini app\"},\n"
	"    {\"name\": \"dns-api\", \"kind\": \"dns\", \"host\": \"generativelanguage.googleapis.com\",\n"
	"     \"component\": \"Gemini API\"},\n"
	"    {\"name\": \"gemini-web\", \"kind\": \"http\", \"url\": \"https://gemini.google.com/\",\n"
	"     \"component\": \"Gemini app\", \"expect_status\": [200, 403]},\n"
	"    {\"name\": \"api\", \"kind\": \"http\",\n"
	"     \"url\": \"https://generativelanguage.googleapis.com/v1beta/models\",\n"
	"     \"component\": \"Gemini API\",\n"
	"     \"headers\": {\"x-goog-api-key\": \"${GEMINI_API_KEY}\"},\n"
	"     \"expect_status\": [200, 403], \"expect_status_with_key\": [200],\n"
	"     \"differential\": true},\n"
	"    {\"name\": \"status-page\", \"kind\": \"statuspage\",\n"
	"     \"url\": \"https://status.cloud.google.com/incidents.json\",\n"
	"     \"interval_s\": 300, \"body_cap\": 16777216}\n"
	"  ]\n"
	"}\n";

/* Le Chat is the web app. The API answers 401 without a key. status.mistral.ai
 * serves no JSON of its own (a Checkly page whose app reads unpublished
 * endpoints), so this preset has no status-page target. */
static const char mistral_json[] =
	"{\n"
	"  \"service\": \"Mistral\",\n"
	"  \"group\": \"AI assistants\",\n"
	"  \"targets\": [\n"
	CONTROL_TARGETS
	"    {\"name\": \"dns-chat\", \"kind\": \"dns\", \"host\": \"chat.mistral.ai\",\n"
	"     \"component\": \"Le Chat\"},\n"
	"    {\"name\": \"dns-api\", \"kind\": \"dns\", \"host\": \"api.mistral.ai\",\n"
	"     \"component\": \"API\"},\n"
	"    {\"name\": \"chat-web\", \"kind\": \"http\", \"url\": \"https://chat.mistral.ai/\",\n"
	"     \"component\": \"Le Chat\", \"expect_status\": [200, 403]},\n"
	CHAT_PROBE(MISTRAL_PROBE_MODEL, "https://api.mistral.ai/v1/chat/completions", "MISTRAL_API_KEY")
	"    {\"name\": \"api\", \"kind\": \"http\", \"url\": \"https://api.mistral.ai/v1/models\",\n"
	"     \"component\": \"API\",\n"
	"     \"headers\": {\"Authorization\": \"Bearer ${MISTRAL_API_KEY}\"},\n"
	"     \"expect_status\": [200, 401], \"expect_status_with_key\": [200],\n"
	"     \"differential\": true}\n"
	"  ]\n"
	"}\n";

/* Groq's API is OpenAI's shape under /openai/v1 and answers 401 without a key;
 * groqstatus.com serves the Statuspage v2 summary. */
static const char groq_json[] =
	"{\n"
	"  \"service\": \"Groq\",\n"
	"  \"group\": \"AI assistants\",\n"
	"  \"targets\": [\n"
	CONTROL_TARGETS
	"    {\"name\": \"dns-console\", \"kind\": \"dns\", \"host\": \"console.groq.com\",\n"
	"     \"component\": \"Console\"},\n"
	"    {\"name\": \"dns-api\", \"kind\": \"dns\", \"host\": \"api.groq.com\",\n"
	"     \"component\": \"API\"},\n"
	"    {\"name\": \"console-web\", \"kind\": \"http\", \"url\": \"https://console.groq.com/\",\n"
	"     \"component\": \"Console\", \"expect_status\": [200, 403]},\n"
	"    {\"name\": \"api\", \"kind\": \"http\", \"url\": \"https://api.groq.com/openai/v1/models\",\n"
	"     \"component\": \"API\",\n"
	"     \"headers\": {\"Authorization\": \"Bearer ${GROQ_API_KEY}\"},\n"
	"     \"expect_status\": [200, 401], \"expect_status_with_key\": [200],\n"
	"     \"differential\": true},\n"
	CHAT_PROBE(GROQ_PROBE_MODEL, "https://api.groq.com/openai/v1/chat/completions", "GROQ_API_KEY")
	"    {\"name\": \"status-page\", \"kind\": \"statuspage\",\n"
	"     \"url\": \"https://groqstatus.com/api/v2/summary.json\",\n"
	"     \"components_url\": \"https://groqstatus.com/api/v2/components.json\"}\n"
	"  ]\n"
	"}\n";

/* DeepSeek's API answers 401 (Authentication Fails) without a key. Its status
 * page left Atlassian for Flashduty, whose page app reads summary/active for
 * page 6410630422455; the components name each model's API. */
static const char deepseek_json[] =
	"{\n"
	"  \"service\": \"DeepSeek\",\n"
	"  \"group\": \"AI assistants\",\n"
	"  \"targets\": [\n"
	CONTROL_TARGETS
	"    {\"name\": \"dns-chat\", \"kind\": \"dns\", \"host\": \"chat.deepseek.com\",\n"
	"     \"component\": \"Chat\"},\n"
	"    {\"name\": \"dns-api\", \"kind\": \"dns\", \"host\": \"api.deepseek.com\",\n"
	"     \"component\": \"API\"},\n"
	"    {\"name\": \"chat-web\", \"kind\": \"http\", \"url\": \"https://chat.deepseek.com/\",\n"
	"     \"component\": \"Chat\", \"expect_status\": [200, 403]},\n"
	"    {\"name\": \"api\", \"kind\": \"http\", \"url\": \"https://api.deepseek.com/models\",\n"
	"     \"component\": \"API\",\n"
	"     \"headers\": {\"Authorization\": \"Bearer ${DEEPSEEK_API_KEY}\"},\n"
	"     \"expect_status\": [200, 401], \"expect_status_with_key\": [200],\n"
	"     \"differential\": true},\n"
	CHAT_PROBE(DEEPSEEK_PROBE_MODEL, "https://api.deepseek.com/chat/completions", "DEEPSEEK_API_KEY")
	"    {\"name\": \"status-page\", \"kind\": \"statuspage\",\n"
	"     \"url\": \"https://status.deepseek.com/api/status-page/6410630422455/summary/active\"}\n"
	"  ]\n"
	"}\n";

/* Cohere's list of models wants a bearer token and answers 401 without one;
 * status.cohere.com serves the Statuspage v2 summary. */
static const char cohere_json[] =
	"{\n"
	"  \"service\": \"Cohere\",\n"
	"  \"group\": \"AI assistants\",\n"
	"  \"targets\": [\n"
	CONTROL_TARGETS
	"    {\"name\": \"dns-dashboard\", \"kind\": \"dns\", \"host\": \"dashboard.cohere.com\",\n"
	"     \"component\": \"Dashboard\"},\n"
	"    {\"name\": \"dns-api\", \"kind\": \"dns\", \"host\": \"api.cohere.com\",\n"
	"     \"component\": \"API\"},\n"
	"    {\"name\": \"dashboard-web\", \"kind\": \"http\", \"url\": \"https://dashboard.cohere.com/\",\n"
	"     \"component\": \"Dashboard\", \"expect_status\": [200, 403]},\n"
	"    {\"name\": \"api\", \"kind\": \"http\", \"url\": \"https://api.cohere.com/v1/models\",\n"
	"     \"component\": \"API\",\n"
	"     \"headers\": {\"Authorization\": \"Bearer ${COHERE_API_KEY}\"},\n"
	"     \"expect_status\": [200, 401], \"expect_status_with_key\": [200],\n"
	"     \"differential\": true},\n"
	"    {\"name\": \"status-page\", \"kind\": \"statuspage\",\n"
	"     \"url\": \"https://status.cohere.com/api/v2/summary.json\",\n"
	"     \"components_url\": \"https://status.cohere.com/api/v2/components.json\"}\n"
	"  ]\n"
	"}\n";

/* Perplexity's API has no list of models and no other request that answers
 * without a body, so only its name is probed; status.perplexity.com is
 * incident.io's Statuspage-compatible summary (components API, Website, App,
 * Computer). */
static const char perplexity_json[] =
	"{\n"
	"  \"service\": \"Perplexity\",\n"
	"  \"group\": \"AI assistants\",\n"
	"  \"targets\": [\n"
	CONTROL_TARGETS
	"    {\"name\": \"dns-web\", \"kind\": \"dns\", \"host\": \"www.perplexity.ai\",\n"
	"     \"component\": \"Website\"},\n"
	"    {\"name\": \"dns-api\", \"kind\": \"dns\", \"host\": \"api.perplexity.ai\",\n"
	"     \"component\": \"API\"},\n"
	"    {\"name\": \"web\", \"kind\": \"http\", \"url\": \"https://www.perplexity.ai/\",\n"
	"     \"component\": \"Website\", \"expect_status\": [200, 403]},\n"
	"    {\"name\": \"status-page\", \"kind\": \"statuspage\",\n"
	"     \"url\": \"https://status.perplexity.com/api/v2/summary.json\",\n"
	"     \"components_url\": \"https://status.perplexity.com/api/v2/components.json\"}\n"
	"  ]\n"
	"}\n";

static const struct preset presets[] = {
	{"openai", "ChatGPT, the OpenAI API and status.openai.com (the default)",
	 "incident.io, Statuspage-compatible", openai_json},
	{"anthropic", "claude.ai, the Anthropic API and status.claude.com", "Atlassian Statuspage", anthropic_json},
	{"github", "github.com, the GitHub API and www.githubstatus.com", "Atlassian Statuspage", github_json},
	{"gemini", "gemini.google.com, the Gemini API and Google Cloud's incident feed",
	 "Google Cloud incidents.json", gemini_json},
	{"mistral", "Le Chat and the Mistral API (no status page JSON)", "none read (Checkly page)", mistral_json},
	{"groq", "the Groq console, the Groq API and groqstatus.com", "Statuspage v2 API", groq_json},
	{"deepseek", "chat.deepseek.com, the DeepSeek API and status.deepseek.com", "Flashduty", deepseek_json},
	{"cohere", "the Cohere dashboard, the Cohere API and status.cohere.com", "Statuspage v2 API", cohere_json},
	{"perplexity", "perplexity.ai and status.perplexity.com (no keyless API probe)",
	 "incident.io, Statuspage-compatible", perplexity_json},
};

static const char *const names[] = {"openai", "anthropic", "github", "gemini", "mistral", "groq",
				    "deepseek", "cohere", "perplexity", NULL};

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

void presets_hint(char *buf, size_t len)
{
	size_t n = sizeof(names) / sizeof(names[0]) - 1, used = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? " or " : ", ";
		int w = snprintf(buf + used, len - used, "%s%s", sep, names[i]);

		if (w < 0)
			return;
		used += (size_t)w;
	}
}
