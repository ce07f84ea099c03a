/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-test-server"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "epsimo-ts-multipart.h"

#define MAX_HEADER_BLOCK (16 * 1024)
#define MAX_FIELD_VALUE (64 * 1024)

typedef enum
{
  STATE_PREAMBLE,
  STATE_AFTER_DELIMITER,
  STATE_HEADERS,
  STATE_DATA,
  STATE_DONE,
  STATE_ERROR,
} State;

struct _EpsimoTsMultipart
{
  State         state;
  char         *delimiter;
  gsize         delimiter_len;
  GByteArray   *buf;
  GPtrArray    *parts;
  EpsimoTsPart *current;
  GChecksum    *checksum;
  GString      *value;
  char         *error;
};

static void
part_free (EpsimoTsPart *part)
{
  g_free (part->field);
  g_free (part->filename);
  g_free (part->content_type);
  g_free (part->sha256);
  g_free (part->value);
  g_free (part);
}

EpsimoTsMultipart *
epsimo_ts_multipart_new (const char *boundary)
{
  EpsimoTsMultipart *mp = g_new0 (EpsimoTsMultipart, 1);

  mp->state = STATE_PREAMBLE;
  mp->delimiter = g_strconcat ("\r\n--", boundary, NULL);
  mp->delimiter_len = strlen (mp->delimiter);
  mp->buf = g_byte_array_new ();
  mp->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);

  /* The first delimiter has no CRLF before it: pretend it had. */
  g_byte_array_append (mp->buf, (const guint8 *) "\r\n", 2);
  return mp;
}

void
epsimo_ts_multipart_free (EpsimoTsMultipart *mp)
{
  if (mp == NULL)
    return;

  g_free (mp->delimiter);
  g_byte_array_unref (mp->buf);
  g_ptr_array_unref (mp->parts);
  g_clear_pointer (&mp->current, part_free);
  g_clear_pointer (&mp->checksum, g_checksum_free);
  if (mp->value)
    g_string_free (mp->value, TRUE);
  g_free (mp->error);
  g_free (mp);
}

static gboolean
set_error (EpsimoTsMultipart *mp,
           const char        *message)
{
  mp->state = STATE_ERROR;
  g_free (mp->error);
  mp->error = g_strdup (message);
  return FALSE;
}

static gssize
find (const guint8 *haystack,
      gsize         len,
      const char   *needle,
      gsize         needle_len)
{
  const guint8 *p = haystack;
  const guint8 *end = haystack + len;

  while (p + needle_len <= end)
    {
      p = memchr (p, needle[0], end - p - needle_len + 1);
      if (p == NULL)
        return -1;
      if (memcmp (p, needle, needle_len) == 0)
        return p - haystack;
      p++;
    }

  return -1;
}

static void
consume (EpsimoTsMultipart *mp,
         gsize              n)
{
  g_byte_array_remove_range (mp->buf, 0, n);
}

static void
part_data (EpsimoTsMultipart *mp,
           const guint8      *data,
           gsize              len)
{
  EpsimoTsPart *part = mp->current;

  part->size += len;
  if (mp->checksum != NULL)
    g_checksum_update (mp->checksum, data, len);
  if (mp->value != NULL && mp->value->len < MAX_FIELD_VALUE)
    g_string_append_len (mp->value, (const char *) data,
                         MIN (len, MAX_FIELD_VALUE - mp->value->len));
}

static void
part_finish (EpsimoTsMultipart *mp)
{
  EpsimoTsPart *part = g_steal_pointer (&mp->current);

  if (mp->checksum != NULL)
    {
      part->sha256 = g_strdup (g_checksum_get_string (mp->checksum));
      g_clear_pointer (&mp->checksum, g_checksum_free);
    }
  if (mp->value != NULL)
    part->value = g_string_free (g_steal_pointer (&mp->value), FALSE);

  g_ptr_array_add (mp->parts, part);
}

static gboolean
parse_headers (EpsimoTsMultipart *mp,
               const char        *block,
               gsize              len)
{
  g_autofree char *text = g_strndup (block, len);
  g_auto(GStrv) lines = g_strsplit (text, "\r\n", -1);
  EpsimoTsPart *part = g_new0 (EpsimoTsPart, 1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');
      g_autofree char *name = NULL;
      char *value;

      if (lines[i][0] == '\0')
        continue;
      if (colon == NULL)
        {
          part_free (part);
          return set_error (mp, "A part header line has no colon");
        }

      name = g_strstrip (g_strndup (lines[i], colon - lines[i]));
      value = g_strstrip (colon + 1);

      if (g_ascii_strcasecmp (name, "Content-Disposition") == 0)
        {
          char *semi = strchr (value, ';');
          GHashTable *params;

          if (semi == NULL)
            continue;
          params = soup_header_parse_semi_param_list (semi + 1);
          g_free (part->field);
          part->field = g_strdup (g_hash_table_lookup (params, "name"));
          g_free (part->filename);
          part->filename = g_strdup (g_hash_table_lookup (params, "filename"));
          soup_header_free_param_list (params);
        }
      else if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        {
          char *semi = strchr (value, ';');

          if (semi != NULL)
            *semi = '\0';
          g_free (part->content_type);
          part->content_type = g_strdup (g_strstrip (value));
        }
    }

  if (part->field == NULL)
    {
      part_free (part);
      return set_error (mp, "A part has no Content-Disposition name");
    }

  mp->current = part;
  if (part->filename != NULL)
    mp->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  else
    mp->value = g_string_new (NULL);
  return TRUE;
}

/* Runs the state machine over the buffered bytes; stops when it needs more. */
static gboolean
process (EpsimoTsMultipart *mp)
{
  for (;;)
    {
      const guint8 *data = mp->buf->data;
      gsize len = mp->buf->len;
      gssize pos;

      switch (mp->state)
        {
        case STATE_PREAMBLE:
          pos = find (data, len, mp->delimiter, mp->delimiter_len);
          if (pos < 0)
            {
              if (len >= mp->delimiter_len)
                consume (mp, len - (mp->delimiter_len - 1));
              return TRUE;
            }
          consume (mp, pos + mp->delimiter_len);
          mp->state = STATE_AFTER_DELIMITER;
          break;

        case STATE_AFTER_DELIMITER:
          if (len < 2)
            return TRUE;
          if (data[0] == '-' && data[1] == '-')
            {
              mp->state = STATE_DONE;
              g_byte_array_set_size (mp->buf, 0);
              return TRUE;
            }
          pos = find (data, len, "\r\n", 2);
          if (pos < 0)
            return len > 256 ? set_error (mp, "Garbage after a boundary") : TRUE;
          for (gssize i = 0; i < pos; i++)
            if (data[i] != ' ' && data[i] != '\t')
              return set_error (mp, "Garbage after a boundary");
          consume (mp, pos + 2);
          mp->state = STATE_HEADERS;
          break;

        case STATE_HEADERS:
          if (len >= 2 && data[0] == '\r' && data[1] == '\n')
            {
              consume (mp, 2);
              if (!parse_headers (mp, "", 0))
                return FALSE;
              mp->state = STATE_DATA;
              break;
            }
          pos = find (data, len, "\r\n\r\n", 4);
          if (pos < 0)
            return len > MAX_HEADER_BLOCK ? set_error (mp, "Part headers are too long") : TRUE;
          if (!parse_headers (mp, (const char *) data, pos))
            return FALSE;
          consume (mp, pos + 4);
          mp->state = STATE_DATA;
          break;

        case STATE_DATA:
          pos = find (data, len, mp->delimiter, mp->delimiter_len);
          if (pos < 0)
            {
              /* Keep a tail that could be the start of the delimiter. */
              if (len >= mp->delimiter_len)
                {
                  gsize safe = len - (mp->delimiter_len - 1);

                  part_data (mp, data, safe);
                  consume (mp, safe);
                }
              return TRUE;
            }
          part_data (mp, data, pos);
          part_finish (mp);
          consume (mp, pos + mp->delimiter_len);
          mp->state = STATE_AFTER_DELIMITER;
          break;

        case STATE_DONE:
          g_byte_array_set_size (mp->buf, 0);
          return TRUE;

        case STATE_ERROR:
        default:
          return FALSE;
        }
    }
}

gboolean
epsimo_ts_multipart_feed (EpsimoTsMultipart *mp,
                          const guchar      *data,
                          gsize              len)
{
  if (mp->state == STATE_ERROR)
    return FALSE;
  if (mp->state == STATE_DONE)
    return TRUE;

  g_byte_array_append (mp->buf, data, len);
  return process (mp);
}

gboolean
epsimo_ts_multipart_is_complete (EpsimoTsMultipart *mp)
{
  return mp->state == STATE_DONE;
}

const char *
epsimo_ts_multipart_get_error (EpsimoTsMultipart *mp)
{
  if (mp->error != NULL)
    return mp->error;
  if (mp->state != STATE_DONE)
    return "The multipart body ended before its closing boundary";
  return NULL;
}

GPtrArray *
epsimo_ts_multipart_get_parts (EpsimoTsMultipart *mp)
{
  return mp->parts;
}

const char *
epsimo_ts_multipart_get_field (EpsimoTsMultipart *mp,
                               const char        *name)
{
  for (guint i = 0; i < mp->parts->len; i++)
    {
      EpsimoTsPart *part = g_ptr_array_index (mp->parts, i);

      if (part->filename == NULL && g_strcmp0 (part->field, name) == 0)
        return part->value;
    }

  return NULL;
}
