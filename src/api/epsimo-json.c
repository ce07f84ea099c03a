/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-json"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "epsimo-api-error.h"
#include "epsimo-json.h"

/* A member that exists, whatever its type, or NULL. JSON null counts as
 * absent: servers send it for unset optional members. */
static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || member == NULL)
    return NULL;

  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

const char *
epsimo_json_get_string (JsonObject *object,
                        const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
node_get_int (JsonNode *node,
              gint64   *out_value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out_value = json_node_get_int (node);
      return TRUE;
    }

  /* Python servers sometimes send counts as floats (45.0). */
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* The range check comes first: casting an out-of-range double is undefined. */
      if (isfinite (d) && d >= -9.2e18 && d <= 9.2e18 && d == (double) (gint64) d)
        {
          *out_value = (gint64) d;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
epsimo_json_get_int (JsonObject *object,
                     const char *member,
                     gint64     *out_value)
{
  gint64 value;

  if (!node_get_int (get_member (object, member), &value))
    return FALSE;

  if (out_value != NULL)
    *out_value = value;
  return TRUE;
}

gboolean
epsimo_json_get_double (JsonObject *object,
                        const char *member,
                        double     *out_value)
{
  JsonNode *node = get_member (object, member);
  GType type;
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else if (type == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else
    return FALSE;

  if (out_value != NULL)
    *out_value = value;
  return TRUE;
}

gboolean
epsimo_json_get_bool (JsonObject *object,
                      const char *member,
                      gboolean   *out_value)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  if (out_value != NULL)
    *out_value = json_node_get_boolean (node);
  return TRUE;
}

JsonObject *
epsimo_json_get_object (JsonObject *object,
                        const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

JsonArray *
epsimo_json_get_array (JsonObject *object,
                       const char *member)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

static void
set_member_error (GError     **error,
                  JsonObject  *object,
                  const char  *member,
                  const char  *what,
                  const char  *expected)
{
  if (get_member (object, member) == NULL)
    g_set_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                 /* Translators: the first %s is a thing such as “project”,
                  * the second the name of a JSON member */
                 _("Unexpected reply from the server: the %s has no “%s”"),
                 what, member);
  else
    g_set_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                 /* Translators: “name” of the project is not a string */
                 _("Unexpected reply from the server: “%s” of the %s is not %s"),
                 member, what, expected);
}

const char *
epsimo_json_require_string (JsonObject  *object,
                            const char  *member,
                            const char  *what,
                            GError     **error)
{
  const char *value = epsimo_json_get_string (object, member);

  if (value == NULL)
    set_member_error (error, object, member, what, _("a string"));

  return value;
}

gboolean
epsimo_json_require_int (JsonObject  *object,
                         const char  *member,
                         const char  *what,
                         gint64      *out_value,
                         GError     **error)
{
  if (epsimo_json_get_int (object, member, out_value))
    return TRUE;

  set_member_error (error, object, member, what, _("a whole number"));
  return FALSE;
}

JsonObject *
epsimo_json_require_object (JsonObject  *object,
                            const char  *member,
                            const char  *what,
                            GError     **error)
{
  JsonObject *value = epsimo_json_get_object (object, member);

  if (value == NULL)
    set_member_error (error, object, member, what, _("an object"));

  return value;
}

JsonArray *
epsimo_json_require_array (JsonObject  *object,
                           const char  *member,
                           const char  *what,
                           GError     **error)
{
  JsonArray *value = epsimo_json_get_array (object, member);

  if (value == NULL)
    set_member_error (error, object, member, what, _("a list"));

  return value;
}

char *
epsimo_json_dup_id (JsonObject *object,
                    const char *member)
{
  const char *members[] = { member, "id" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *text;
      JsonNode *node;

      if (members[i] == NULL)
        continue;

      text = epsimo_json_get_string (object, members[i]);
      if (text != NULL && *text != '\0')
        return g_strdup (text);

      /* Integer ids appear on some self-hosted backends. */
      node = get_member (object, members[i]);
      if (node != NULL && json_node_get_value_type (node) == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    }

  return NULL;
}

char *
epsimo_json_require_id (JsonObject  *object,
                        const char  *member,
                        const char  *what,
                        GError     **error)
{
  char *id = epsimo_json_dup_id (object, member);

  if (id == NULL)
    {
      if (get_member (object, member) == NULL && get_member (object, "id") == NULL)
        set_member_error (error, object, member, what, NULL);
      else
        g_set_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                     /* Translators: %s is a thing such as “project” */
                     _("Unexpected reply from the server: the %s has an invalid id"),
                     what);
    }

  return id;
}

const char *
epsimo_json_get_token (JsonObject *object)
{
  static const char * const members[] = { "access_token", "token", "jwt_token" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *token = epsimo_json_get_string (object, members[i]);

      if (token != NULL && *token != '\0')
        return token;
    }

  return NULL;
}

GDateTime *
epsimo_json_parse_date_time (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autofree char *full = NULL;
  gsize len;

  if (text == NULL)
    return NULL;

  len = strlen (text);
  if (len == 0 || len > 64)
    return NULL;

  utc = g_time_zone_new_utc ();

  /* A bare date ("2024-01-15") means its midnight in UTC. */
  if (len == 10 && text[4] == '-' && text[7] == '-')
    {
      full = g_strconcat (text, "T00:00:00", NULL);
      return g_date_time_new_from_iso8601 (full, utc);
    }

  return g_date_time_new_from_iso8601 (text, utc);
}

GDateTime *
epsimo_json_get_date_time (JsonObject *object,
                           const char *member)
{
  JsonNode *node = get_member (object, member);
  gint64 seconds;

  if (node == NULL)
    return NULL;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return epsimo_json_parse_date_time (json_node_get_string (node));

  /* Some backends send Unix times; milliseconds past year 33658 are unlikely. */
  if (node_get_int (node, &seconds) && seconds > 0)
    {
      if (seconds > G_GINT64_CONSTANT (999999999999))
        seconds /= 1000;
      return g_date_time_new_from_unix_utc (seconds);
    }

  return NULL;
}

char *
epsimo_json_format_date_time (GDateTime *date_time)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (date_time != NULL, NULL);

  utc = g_date_time_to_utc (date_time);
  return g_date_time_format_iso8601 (utc);
}

JsonNode *
epsimo_json_node_copy (JsonNode *node)
{
  if (node == NULL)
    return NULL;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonNode *copy = json_node_new (JSON_NODE_OBJECT);

        json_node_take_object (copy, epsimo_json_object_copy (json_node_get_object (node)));
        return copy;
      }

    case JSON_NODE_ARRAY:
      {
        JsonNode *copy = json_node_new (JSON_NODE_ARRAY);

        json_node_take_array (copy, epsimo_json_array_copy (json_node_get_array (node)));
        return copy;
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

JsonObject *
epsimo_json_object_copy (JsonObject *object)
{
  JsonObject *copy;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (object == NULL)
    return NULL;

  /* In the order of the original: a JSON Schema's properties are shown in that order. */
  copy = json_object_new ();
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &member))
    json_object_set_member (copy, name, epsimo_json_node_copy (member));

  return copy;
}

JsonArray *
epsimo_json_array_copy (JsonArray *array)
{
  JsonArray *copy;
  guint n;

  if (array == NULL)
    return NULL;

  n = json_array_get_length (array);
  copy = json_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    json_array_add_element (copy, epsimo_json_node_copy (json_array_get_element (array, i)));

  return copy;
}

gboolean
epsimo_json_node_equal (JsonNode *a,
                        JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  return json_node_equal (a, b);
}

/* The value of the four hex digits at @p, or -1. */
static int
hex4 (const char *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

static gboolean
refuse (GError     **error,
        const char  *message)
{
  g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, message);
  return FALSE;
}

/* Follows json-glib 1.6's own scanner, which also takes 'single-quoted' strings (no
 * escapes), comments between slashes and C comments, so that no bracket is hidden from
 * the depth count. */
gboolean
epsimo_json_parser_load (JsonParser  *parser,
                         const char  *data,
                         gssize       length,
                         GError     **error)
{
  gsize len = length < 0 ? strlen (data) : (gsize) length;
  g_autofree char *copy = NULL;
  enum { CODE, DOUBLE_QUOTED, SINGLE_QUOTED } state = CODE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (state == SINGLE_QUOTED)
        {
          if (c == '\'')
            state = CODE;
        }
      else if (state == DOUBLE_QUOTED)
        {
          if (c == '"')
            state = CODE;
          else if (c == '\\' && i + 1 < len && data[i + 1] == 'u')
            {
              int value = i + 5 < len ? hex4 (data + i + 2) : -1;
              int low = i + 11 < len && data[i + 6] == '\\' && data[i + 7] == 'u'
                        ? hex4 (data + i + 8) : -1;

              if (value < 0)
                return refuse (error, _("Invalid escape sequence in a JSON string"));
              if (value >= 0xD800 && value <= 0xDBFF && low >= 0xDC00 && low <= 0xDFFF)
                i += 11;   /* a pair: one character outside the BMP */
              else
                {
                  /* json-glib 1.6 turns a lone surrogate into bytes that are not UTF-8,
                   * which GTK then refuses: U+FFFD instead, the same length. */
                  if (value >= 0xD800 && value <= 0xDFFF)
                    {
                      if (copy == NULL)
                        copy = g_memdup2 (data, len);
                      memcpy (copy + i, "\\ufffd", 6);
                    }
                  i += 5;
                }
            }
          else if (c == '\\')
            {
              /* json-glib 1.6 also reads octal escapes, which make bytes that are not
               * UTF-8: only the escapes of JSON are taken. */
              if (i + 1 < len
                  && (data[i + 1] == '\0' || strchr ("\"\\/bfnrt", data[i + 1]) == NULL))
                return refuse (error, _("Invalid escape sequence in a JSON string"));
              i++;
            }
        }
      else if (c == '"')
        state = DOUBLE_QUOTED;
      else if (c == '\'')
        state = SINGLE_QUOTED;
      else if (c == '/')
        {
          gboolean multi = i + 1 < len && data[i + 1] == '*';
          gsize end = multi ? i + 2 : i + 1;

          /* A comment: skipped to its end (unterminated, json-glib fails on it). */
          while (end < len
                 && !(multi ? data[end] == '*' && end + 1 < len && data[end + 1] == '/'
                            : data[end] == '/'))
            end++;
          if (end >= len)
            break;
          i = multi ? end + 1 : end;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > EPSIMO_JSON_MAX_DEPTH)
            {
              g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           _("JSON nested more than %u levels deep"),
                           EPSIMO_JSON_MAX_DEPTH);
              return FALSE;
            }
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return json_parser_load_from_data (parser, copy != NULL ? copy : data, (gssize) len, error);
}

JsonNode *
epsimo_json_parse (const char  *data,
                   gssize       length,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (data == NULL)
    data = "";

  /* Mutable, so that callers may adjust a reply before reading it. */
  parser = json_parser_new ();
  if (!epsimo_json_parser_load (parser, data, length, &local_error))
    {
      g_set_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                   _("The server sent a reply that is not valid JSON: %s"),
                   local_error->message);
      return NULL;
    }

  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                           _("The server sent an empty reply"));
      return NULL;
    }

  return root;
}

JsonNode *
epsimo_json_parse_bytes (GBytes  *bytes,
                         GError **error)
{
  const char *data = NULL;
  gsize size = 0;

  if (bytes != NULL)
    data = g_bytes_get_data (bytes, &size);

  if (size > G_MAXSSIZE)
    {
      g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                           _("The server sent a reply that is too large"));
      return NULL;
    }

  return epsimo_json_parse (data, (gssize) size, error);
}

GPtrArray *
epsimo_json_get_list (JsonNode    *root,
                      const char  *wrapper_member,
                      GError     **error)
{
  JsonArray *array = NULL;
  GPtrArray *items;
  guint n;

  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    array = json_node_get_array (root);
  else if (root != NULL && JSON_NODE_HOLDS_OBJECT (root) && wrapper_member != NULL)
    array = epsimo_json_get_array (json_node_get_object (root), wrapper_member);

  if (array == NULL)
    {
      if (wrapper_member != NULL)
        g_set_error (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                     _("Unexpected reply from the server: expected a list or an "
                       "object with a “%s” list"),
                     wrapper_member);
      else
        g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL,
                             _("Unexpected reply from the server: expected a list"));
      return NULL;
    }

  n = json_array_get_length (array);
  items = g_ptr_array_new_full (n, (GDestroyNotify) json_node_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, json_node_ref (json_array_get_element (array, i)));

  return items;
}

gpointer
epsimo_json_read_object (JsonNode          *node,
                         EpsimoJsonReader   reader,
                         const char        *unreadable,
                         GError           **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_PROTOCOL, unreadable);
      return NULL;
    }

  return reader (json_node_get_object (node), error);
}

GPtrArray *
epsimo_json_read_list (JsonNode          *root,
                       const char        *wrapper_member,
                       EpsimoJsonReader   reader,
                       const char        *unreadable,
                       GError           **error)
{
  g_autoptr(GPtrArray) items = epsimo_json_get_list (root, wrapper_member, error);
  g_autoptr(GPtrArray) objects = NULL;

  if (items == NULL)
    return NULL;

  objects = g_ptr_array_new_full (items->len, g_object_unref);
  for (guint i = 0; i < items->len; i++)
    {
      gpointer object = epsimo_json_read_object (g_ptr_array_index (items, i), reader,
                                                 unreadable, error);

      if (object == NULL)
        return NULL;
      g_ptr_array_add (objects, object);
    }

  return g_steal_pointer (&objects);
}

char *
epsimo_json_to_string (JsonNode *node,
                       gboolean  pretty)
{
  if (node == NULL)
    return g_strdup ("null");

  return json_to_string (node, pretty);
}

gboolean
epsimo_json_replace_string (char       **ptr,
                            const char  *value)
{
  char *copy;

  if (g_strcmp0 (*ptr, value) == 0)
    return FALSE;

  copy = g_strdup (value);
  g_free (*ptr);
  *ptr = copy;
  return TRUE;
}

gboolean
epsimo_json_replace_date_time (GDateTime **ptr,
                               GDateTime  *value)
{
  if (*ptr == value)
    return FALSE;
  if (*ptr != NULL && value != NULL && g_date_time_equal (*ptr, value))
    return FALSE;

  if (value != NULL)
    g_date_time_ref (value);
  g_clear_pointer (ptr, g_date_time_unref);
  *ptr = value;
  return TRUE;
}

static gboolean
object_equal (JsonObject *a,
              JsonObject *b)
{
  g_autoptr(JsonNode) node_a = NULL;
  g_autoptr(JsonNode) node_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;

  node_a = json_node_init_object (json_node_alloc (), a);
  node_b = json_node_init_object (json_node_alloc (), b);
  return json_node_equal (node_a, node_b);
}

static gboolean
array_equal (JsonArray *a,
             JsonArray *b)
{
  g_autoptr(JsonNode) node_a = NULL;
  g_autoptr(JsonNode) node_b = NULL;

  if (a == NULL || b == NULL)
    return a == b;

  node_a = json_node_init_array (json_node_alloc (), a);
  node_b = json_node_init_array (json_node_alloc (), b);
  return json_node_equal (node_a, node_b);
}

gboolean
epsimo_json_replace_object (JsonObject **ptr,
                            JsonObject  *value)
{
  if (object_equal (*ptr, value))
    return FALSE;

  g_clear_pointer (ptr, json_object_unref);
  *ptr = epsimo_json_object_copy (value);
  return TRUE;
}

gboolean
epsimo_json_replace_array (JsonArray **ptr,
                           JsonArray  *value)
{
  if (array_equal (*ptr, value))
    return FALSE;

  g_clear_pointer (ptr, json_array_unref);
  *ptr = epsimo_json_array_copy (value);
  return TRUE;
}
