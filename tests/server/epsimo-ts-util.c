/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <math.h>
#include <string.h>

#include "epsimo-ts-util.h"

char *
epsimo_ts_random_hex (guint n_bytes)
{
  GString *out = g_string_sized_new (n_bytes * 2 + 8);

  for (guint i = 0; i < n_bytes; i += 4)
    g_string_append_printf (out, "%08x", g_random_int ());
  g_string_truncate (out, n_bytes * 2);

  return g_string_free (out, FALSE);
}

/* 64 random bits: collisions are not a concern for an in-memory test store. */
char *
epsimo_ts_new_id (const char *prefix)
{
  g_autofree char *hex = epsimo_ts_random_hex (8);

  return g_strconcat (prefix, "_", hex, NULL);
}

gint64
epsimo_ts_now_us (void)
{
  return g_get_real_time ();
}

gint64
epsimo_ts_now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Milliseconds, so that objects created within one second still sort. */
char *
epsimo_ts_format_time (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *base = NULL;

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");

  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int) ((usec % G_USEC_PER_SEC) / 1000));
}

void
epsimo_ts_json_escape_append (GString    *out,
                              const char *text,
                              gssize      len)
{
  const char *p = text;
  const char *end;
  const char *run = p;

  if (len < 0)
    len = strlen (text);
  end = text + len;

  for (; p < end; p++)
    {
      guchar c = (guchar) *p;
      const char *esc = NULL;
      char buf[8];

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      switch (c)
        {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
          g_snprintf (buf, sizeof buf, "\\u%04x", c);
          esc = buf;
          break;
        }

      g_string_append_len (out, run, p - run);
      g_string_append (out, esc);
      run = p + 1;
    }

  g_string_append_len (out, run, end - run);
}

char *
epsimo_ts_json_to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

JsonNode *
epsimo_ts_json_parse (const char  *text,
                      gssize       len,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, len, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "empty document");
      return NULL;
    }

  return json_node_copy (root);
}

gboolean
epsimo_ts_node_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Accepts 12 and 12.0 alike: clients written in other languages send either. */
gboolean
epsimo_ts_node_get_int (JsonNode *node,
                        gint64   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (isfinite (d) && d == floor (d) && fabs (d) < 9e15)
        {
          *out = (gint64) d;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
epsimo_ts_node_get_number (JsonNode *node,
                           double   *out)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;

  return isfinite (*out);
}

/* NULL when absent or not a string. */
const char *
epsimo_ts_object_get_string (JsonObject *obj,
                             const char *member)
{
  JsonNode *node;

  if (obj == NULL)
    return NULL;

  node = json_object_get_member (obj, member);
  return epsimo_ts_node_is_string (node) ? json_node_get_string (node) : NULL;
}

JsonNode *
epsimo_ts_node_new_object (JsonObject *obj)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, obj);
  return node;
}

JsonNode *
epsimo_ts_node_new_array (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}
