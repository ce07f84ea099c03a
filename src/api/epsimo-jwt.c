/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-jwt"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "epsimo-json.h"
#include "epsimo-jwt.h"

/* A payload larger than this is not a token we issued to ourselves: refuse
 * it rather than decode megabytes from a hostile server. */
#define MAX_PAYLOAD_CHARS (64 * 1024)

static void
wipe_free (char *data,
           gsize len)
{
  if (data == NULL)
    return;
  memset (data, 0, len);
  g_free (data);
}

/* base64url (RFC 4648 §5) without padding, as JWTs use it. */
static guchar *
decode_base64url (const char *data,
                  gsize       len,
                  gsize      *out_len)
{
  g_autoptr(GString) std = NULL;

  if (len == 0 || len > MAX_PAYLOAD_CHARS || len % 4 == 1)
    return NULL;

  std = g_string_sized_new (len + 3);
  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (c == '-')
        c = '+';
      else if (c == '_')
        c = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
      g_string_append_c (std, c);
    }
  while (std->len % 4 != 0)
    g_string_append_c (std, '=');

  return g_base64_decode (std->str, out_len);
}

gint64
epsimo_jwt_get_expiry (const char *token)
{
  g_autoptr(JsonParser) parser = NULL;
  const char *first_dot;
  const char *second_dot;
  JsonObject *claims;
  JsonNode *root;
  JsonNode *exp;
  guchar *payload;
  gsize payload_len = 0;
  gint64 expiry = 0;
  gboolean parsed;

  if (token == NULL)
    return 0;

  first_dot = strchr (token, '.');
  if (first_dot == NULL)
    return 0;
  second_dot = strchr (first_dot + 1, '.');
  if (second_dot == NULL || strchr (second_dot + 1, '.') != NULL)
    return 0;

  payload = decode_base64url (first_dot + 1, second_dot - first_dot - 1, &payload_len);
  if (payload == NULL)
    return 0;

  parser = json_parser_new ();
  parsed = epsimo_json_parser_load (parser, (const char *) payload, (gssize) payload_len,
                                    NULL);
  /* The claims may name the user: do not leave them lying in freed memory. */
  wipe_free ((char *) payload, payload_len);
  if (!parsed)
    return 0;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  claims = json_node_get_object (root);
  exp = json_object_get_member (claims, "exp");
  if (exp == NULL || !JSON_NODE_HOLDS_VALUE (exp))
    return 0;

  switch (json_node_get_value_type (exp))
    {
    case G_TYPE_INT64:
      expiry = json_node_get_int (exp);
      break;

    case G_TYPE_DOUBLE:
      {
        double value = json_node_get_double (exp);

        /* NumericDate may be fractional; anything out of range is garbage. */
        if (value >= 1 && value < (double) G_MAXINT64 / 2)
          expiry = (gint64) value;
      }
      break;

    default:
      break;
    }

  return expiry > 0 ? expiry : 0;
}
