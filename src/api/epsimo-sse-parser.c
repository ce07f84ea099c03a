/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-sse-parser"

#include "config.h"

#include <string.h>

#include "epsimo-sse-parser.h"

#define REPLACEMENT_CHARACTER 0xFFFD
#define BYTE_ORDER_MARK       0xFEFF

struct _EpsimoSseParser
{
  GObject  parent_instance;

  /* The line being received; scanned once, when its line end arrives. */
  GString *line;
  GString *data;
  GString *event_type;
  GString *id_buffer;
  GString *last_event_id;
  gint64   retry;

  /* The UTF-8 decoder of the Encoding standard, kept between feeds so a
   * character split across chunks decodes as if it had come whole. */
  gunichar code_point;
  guint8   bytes_needed;
  guint8   bytes_seen;
  guint8   lower_boundary;
  guint8   upper_boundary;

  guint    stream_started : 1;   /* a first code point was seen (BOM check done) */
  guint    after_cr : 1;         /* the last line ended in CR: a LF next is part of it */
  guint    in_feed : 1;
};

G_DEFINE_FINAL_TYPE (EpsimoSseParser, epsimo_sse_parser, G_TYPE_OBJECT)

enum {
  EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
epsimo_sse_parser_finalize (GObject *object)
{
  EpsimoSseParser *self = (EpsimoSseParser *)object;

  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_string_free (self->event_type, TRUE);
  g_string_free (self->id_buffer, TRUE);
  g_string_free (self->last_event_id, TRUE);

  G_OBJECT_CLASS (epsimo_sse_parser_parent_class)->finalize (object);
}

static void
epsimo_sse_parser_class_init (EpsimoSseParserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = epsimo_sse_parser_finalize;

  /**
   * EpsimoSseParser::event:
   * @self: the parser
   * @event_type: the `event` field, or "message" when there was none
   * @data: the `data` lines joined with "\n"
   * @last_event_id: the last event ID string ("" when none)
   *
   * An event was completed by a blank line. The strings are only valid
   * during the emission.
   */
  signals[EVENT] =
    g_signal_new ("event",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
reset_decoder (EpsimoSseParser *self)
{
  self->code_point = 0;
  self->bytes_needed = 0;
  self->bytes_seen = 0;
  self->lower_boundary = 0x80;
  self->upper_boundary = 0xBF;
}

static void
epsimo_sse_parser_init (EpsimoSseParser *self)
{
  self->line = g_string_new (NULL);
  self->data = g_string_new (NULL);
  self->event_type = g_string_new (NULL);
  self->id_buffer = g_string_new (NULL);
  self->last_event_id = g_string_new (NULL);
  self->retry = -1;
  reset_decoder (self);
}

/**
 * epsimo_sse_parser_new:
 *
 * Returns: (transfer full): a parser for one event stream
 */
EpsimoSseParser *
epsimo_sse_parser_new (void)
{
  return g_object_new (EPSIMO_TYPE_SSE_PARSER, NULL);
}

static gboolean
field_is (const char *field,
          gsize       field_len,
          const char *name)
{
  gsize name_len = strlen (name);

  return field_len == name_len && memcmp (field, name, name_len) == 0;
}

static void
dispatch_event (EpsimoSseParser *self)
{
  const char *type;

  /* The spec updates the last event ID even when no event follows. */
  if (!g_string_equal (self->last_event_id, self->id_buffer))
    g_string_assign (self->last_event_id, self->id_buffer->str);

  if (self->data->len == 0)
    {
      g_string_truncate (self->event_type, 0);
      return;
    }

  /* Every data line appended a "\n"; the last one is not part of the data. */
  g_string_truncate (self->data, self->data->len - 1);

  type = self->event_type->len > 0 ? self->event_type->str : "message";
  g_signal_emit (self, signals[EVENT], 0, type, self->data->str, self->last_event_id->str);

  g_string_truncate (self->data, 0);
  g_string_truncate (self->event_type, 0);
}

static void
process_field (EpsimoSseParser *self,
               const char      *field,
               gsize            field_len,
               const char      *value,
               gsize            value_len)
{
  if (field_is (field, field_len, "event"))
    {
      g_string_truncate (self->event_type, 0);
      g_string_append_len (self->event_type, value, value_len);
    }
  else if (field_is (field, field_len, "data"))
    {
      g_string_append_len (self->data, value, value_len);
      g_string_append_c (self->data, '\n');
    }
  else if (field_is (field, field_len, "id"))
    {
      if (memchr (value, '\0', value_len) == NULL)
        {
          g_string_truncate (self->id_buffer, 0);
          g_string_append_len (self->id_buffer, value, value_len);
        }
    }
  else if (field_is (field, field_len, "retry"))
    {
      gint64 retry = 0;

      /* An empty value is not a time: browsers ignore it too. */
      if (value_len == 0)
        return;

      for (gsize i = 0; i < value_len; i++)
        {
          int digit;

          if (!g_ascii_isdigit (value[i]))
            return;

          digit = value[i] - '0';
          if (retry > (G_MAXINT64 - digit) / 10)
            retry = G_MAXINT64;
          else
            retry = retry * 10 + digit;
        }

      self->retry = retry;
    }
  /* Any other field is ignored, as the spec says. */
}

static void
process_line (EpsimoSseParser *self)
{
  const char *line = self->line->str;
  gsize len = self->line->len;
  const char *colon;

  if (len == 0)
    {
      dispatch_event (self);
      return;
    }

  if (line[0] == ':')
    {
      /* A comment (often a keep-alive). */
    }
  else if ((colon = memchr (line, ':', len)) != NULL)
    {
      gsize field_len = colon - line;
      const char *value = colon + 1;
      gsize value_len = len - field_len - 1;

      if (value_len > 0 && value[0] == ' ')
        {
          value++;
          value_len--;
        }

      process_field (self, line, field_len, value, value_len);
    }
  else
    {
      process_field (self, line, len, "", 0);
    }

  g_string_truncate (self->line, 0);
}

/* Takes one decoded code point. */
static void
push_code_point (EpsimoSseParser *self,
                 gunichar         code_point)
{
  if (!self->stream_started)
    {
      self->stream_started = TRUE;
      /* UTF-8 decode strips one leading BOM. */
      if (code_point == BYTE_ORDER_MARK)
        return;
    }

  if (code_point == '\n' && self->after_cr)
    {
      self->after_cr = FALSE;
      return;
    }

  self->after_cr = FALSE;

  if (code_point == '\r' || code_point == '\n')
    {
      self->after_cr = code_point == '\r';
      process_line (self);
    }
  else if (code_point < 0x80)
    {
      g_string_append_c (self->line, (char)code_point);
    }
  else
    {
      g_string_append_unichar (self->line, code_point);
    }
}

#define ONES  G_GUINT64_CONSTANT (0x0101010101010101)
#define HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

/* Whether one of the eight bytes of @word is zero (exact, no false positives). */
static inline gboolean
has_zero_byte (guint64 word)
{
  return ((word - ONES) & ~word & HIGHS) != 0;
}

/* The length of the run of ASCII other than CR and LF at the start of @bytes. A live
 * stream repeats the whole reply in every event, so this loop sees gigabytes: it looks at
 * eight bytes at a time. */
static gsize
plain_ascii_run (const guchar *bytes,
                 gsize         len)
{
  gsize i = 0;

  while (i + 8 <= len)
    {
      guint64 word;

      memcpy (&word, bytes + i, 8);
      if ((word & HIGHS) != 0
          || has_zero_byte (word ^ (ONES * '\r'))
          || has_zero_byte (word ^ (ONES * '\n')))
        break;
      i += 8;
    }
  while (i < len && bytes[i] < 0x80 && bytes[i] != '\r' && bytes[i] != '\n')
    i++;
  return i;
}

static void
feed_bytes (EpsimoSseParser *self,
            const guchar    *bytes,
            gsize            len)
{
  gsize i = 0;

  while (i < len)
    {
      guchar byte = bytes[i];

      if (self->bytes_needed == 0)
        {
          if (byte < 0x80)
            {
              gsize end = i;

              if (byte == '\r' || byte == '\n' || !self->stream_started || self->after_cr)
                {
                  push_code_point (self, byte);
                  i++;
                  continue;
                }

              /* The common case: a run of plain ASCII is copied at once. */
              end = i + plain_ascii_run (bytes + i, len - i);
              g_string_append_len (self->line, (const char *)bytes + i, end - i);
              i = end;
              continue;
            }

          if (byte >= 0xC2 && byte <= 0xDF)
            {
              self->bytes_needed = 1;
              self->code_point = byte & 0x1F;
            }
          else if (byte >= 0xE0 && byte <= 0xEF)
            {
              if (byte == 0xE0)
                self->lower_boundary = 0xA0;
              else if (byte == 0xED)
                self->upper_boundary = 0x9F;
              self->bytes_needed = 2;
              self->code_point = byte & 0x0F;
            }
          else if (byte >= 0xF0 && byte <= 0xF4)
            {
              if (byte == 0xF0)
                self->lower_boundary = 0x90;
              else if (byte == 0xF4)
                self->upper_boundary = 0x8F;
              self->bytes_needed = 3;
              self->code_point = byte & 0x07;
            }
          else
            {
              push_code_point (self, REPLACEMENT_CHARACTER);
            }

          i++;
          continue;
        }

      if (byte < self->lower_boundary || byte > self->upper_boundary)
        {
          /* A truncated sequence is one error; the byte is looked at again
           * as the start of what follows (it may be a line end). */
          reset_decoder (self);
          push_code_point (self, REPLACEMENT_CHARACTER);
          continue;
        }

      self->lower_boundary = 0x80;
      self->upper_boundary = 0xBF;
      self->code_point = (self->code_point << 6) | (byte & 0x3F);
      self->bytes_seen++;
      i++;

      if (self->bytes_seen == self->bytes_needed)
        {
          gunichar code_point = self->code_point;

          reset_decoder (self);
          push_code_point (self, code_point);
        }
    }
}

/**
 * epsimo_sse_parser_feed:
 * @self: a parser
 * @data: (array length=len): bytes of the stream
 * @len: the number of bytes
 *
 * Parses the next bytes of the stream and emits ::event for each event
 * they complete.
 */
void
epsimo_sse_parser_feed (EpsimoSseParser *self,
                        const char      *data,
                        gsize            len)
{
  g_return_if_fail (EPSIMO_IS_SSE_PARSER (self));
  g_return_if_fail (data != NULL || len == 0);
  g_return_if_fail (!self->in_feed);

  /* A handler may drop the last other reference. */
  g_object_ref (self);
  self->in_feed = TRUE;
  feed_bytes (self, (const guchar *)data, len);
  self->in_feed = FALSE;
  g_object_unref (self);
}

/**
 * epsimo_sse_parser_end:
 * @self: a parser
 *
 * Ends the stream: a partial line or an event without its blank line is
 * dropped, as the spec says. The parser may then be fed a new stream.
 */
void
epsimo_sse_parser_end (EpsimoSseParser *self)
{
  g_return_if_fail (EPSIMO_IS_SSE_PARSER (self));
  g_return_if_fail (!self->in_feed);

  g_string_truncate (self->line, 0);
  g_string_truncate (self->data, 0);
  g_string_truncate (self->event_type, 0);
  reset_decoder (self);
  self->stream_started = FALSE;
  self->after_cr = FALSE;
}

/**
 * epsimo_sse_parser_get_last_event_id:
 * @self: a parser
 *
 * Returns: (transfer none): the last event ID string, "" when none
 */
const char *
epsimo_sse_parser_get_last_event_id (EpsimoSseParser *self)
{
  g_return_val_if_fail (EPSIMO_IS_SSE_PARSER (self), NULL);

  return self->last_event_id->str;
}

/**
 * epsimo_sse_parser_get_retry:
 * @self: a parser
 *
 * Returns: the reconnection time in milliseconds, or -1 when the stream set none
 */
gint64
epsimo_sse_parser_get_retry (EpsimoSseParser *self)
{
  g_return_val_if_fail (EPSIMO_IS_SSE_PARSER (self), -1);

  return self->retry;
}
