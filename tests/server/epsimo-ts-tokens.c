/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "epsimo-ts-tokens.h"
#include "epsimo-ts-util.h"

#define SECRET_LEN 32

struct _EpsimoTsTokens
{
  guchar secret[SECRET_LEN];
  gint64 ttl;
  guint64 serial;
};

static void
new_secret (EpsimoTsTokens *tokens)
{
  for (guint i = 0; i < SECRET_LEN; i++)
    tokens->secret[i] = (guchar) g_random_int_range (0, 256);
}

EpsimoTsTokens *
epsimo_ts_tokens_new (gint64 ttl_seconds)
{
  EpsimoTsTokens *tokens = g_new0 (EpsimoTsTokens, 1);

  tokens->ttl = ttl_seconds;
  new_secret (tokens);
  return tokens;
}

void
epsimo_ts_tokens_free (EpsimoTsTokens *tokens)
{
  g_free (tokens);
}

gint64
epsimo_ts_tokens_get_ttl (EpsimoTsTokens *tokens)
{
  return tokens->ttl;
}

/* A new secret makes every signature issued so far wrong: that is how
 * /_control/expire-tokens invalidates all tokens at once. */
void
epsimo_ts_tokens_revoke_all (EpsimoTsTokens *tokens)
{
  new_secret (tokens);
}

static char *
base64url_encode (const guchar *data,
                  gsize         len)
{
  char *out = g_base64_encode (data, len);
  char *p;

  for (p = out; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  return out;
}

static guchar *
base64url_decode (const char *text,
                  gsize       text_len,
                  gsize      *out_len)
{
  g_autoptr(GString) padded = g_string_new_len (text, text_len);

  for (gsize i = 0; i < padded->len; i++)
    {
      char c = padded->str[i];

      if (c == '-')
        padded->str[i] = '+';
      else if (c == '_')
        padded->str[i] = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
    }
  while (padded->len % 4 != 0)
    g_string_append_c (padded, '=');

  return g_base64_decode (padded->str, out_len);
}

static char *
sign (EpsimoTsTokens *tokens,
      const char     *signing_input,
      gsize           len)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, tokens->secret, SECRET_LEN);
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_hmac_update (hmac, (const guchar *) signing_input, len);
  g_hmac_get_digest (hmac, digest, &digest_len);
  return base64url_encode (digest, digest_len);
}

char *
epsimo_ts_tokens_issue (EpsimoTsTokens *tokens,
                        const char     *user_id,
                        const char     *project_id)
{
  static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
  g_autoptr(JsonObject) payload = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *payload_json = NULL;
  g_autofree char *header_b64 = NULL;
  g_autofree char *payload_b64 = NULL;
  g_autofree char *signing_input = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *jti = NULL;
  gint64 now = epsimo_ts_now_s ();

  jti = g_strdup_printf ("jti_%" G_GUINT64_FORMAT "_%08x", ++tokens->serial, g_random_int ());
  json_object_set_string_member (payload, "sub", user_id);
  json_object_set_string_member (payload, "kind", project_id ? "project" : "user");
  if (project_id != NULL)
    json_object_set_string_member (payload, "project_id", project_id);
  json_object_set_int_member (payload, "exp", now + tokens->ttl);
  json_object_set_int_member (payload, "iat", now);
  json_object_set_string_member (payload, "jti", jti);

  node = epsimo_ts_node_new_object (json_object_ref (payload));
  payload_json = epsimo_ts_json_to_string (node);

  header_b64 = base64url_encode ((const guchar *) header, strlen (header));
  payload_b64 = base64url_encode ((const guchar *) payload_json, strlen (payload_json));
  signing_input = g_strconcat (header_b64, ".", payload_b64, NULL);
  signature = sign (tokens, signing_input, strlen (signing_input));

  return g_strconcat (signing_input, ".", signature, NULL);
}

void
epsimo_ts_claims_clear (EpsimoTsClaims *claims)
{
  g_clear_pointer (&claims->sub, g_free);
  g_clear_pointer (&claims->project_id, g_free);
  claims->is_project = FALSE;
  claims->exp = 0;
}

gboolean
epsimo_ts_tokens_verify (EpsimoTsTokens *tokens,
                         const char     *token,
                         EpsimoTsClaims *claims)
{
  const char *dot1;
  const char *dot2;
  g_autofree char *expected = NULL;
  g_autofree guchar *payload_raw = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *payload;
  const char *sub;
  const char *kind;
  const char *project_id;
  gint64 exp;
  gsize payload_len = 0;

  memset (claims, 0, sizeof *claims);

  if (token == NULL)
    return FALSE;
  dot1 = strchr (token, '.');
  if (dot1 == NULL)
    return FALSE;
  dot2 = strchr (dot1 + 1, '.');
  if (dot2 == NULL || strchr (dot2 + 1, '.') != NULL)
    return FALSE;

  expected = sign (tokens, token, dot2 - token);
  if (!g_str_equal (expected, dot2 + 1))
    return FALSE;

  payload_raw = base64url_decode (dot1 + 1, dot2 - dot1 - 1, &payload_len);
  if (payload_raw == NULL)
    return FALSE;

  root = epsimo_ts_json_parse ((const char *) payload_raw, payload_len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;

  payload = json_node_get_object (root);
  sub = epsimo_ts_object_get_string (payload, "sub");
  kind = epsimo_ts_object_get_string (payload, "kind");
  project_id = epsimo_ts_object_get_string (payload, "project_id");
  if (sub == NULL || kind == NULL ||
      !epsimo_ts_node_get_int (json_object_get_member (payload, "exp"), &exp))
    return FALSE;
  if (exp <= epsimo_ts_now_s ())
    return FALSE;

  if (g_str_equal (kind, "project"))
    {
      if (project_id == NULL)
        return FALSE;
      claims->is_project = TRUE;
      claims->project_id = g_strdup (project_id);
    }
  else if (!g_str_equal (kind, "user"))
    return FALSE;

  claims->sub = g_strdup (sub);
  claims->exp = exp;
  return TRUE;
}
