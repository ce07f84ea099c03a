/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define EPSIMO_TYPE_SSE_PARSER (epsimo_sse_parser_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoSseParser, epsimo_sse_parser, EPSIMO, SSE_PARSER, GObject)

/**
 * EpsimoSseParser:
 *
 * An incremental parser for `text/event-stream` bodies, following the
 * "Interpreting an event stream" rules of the WHATWG HTML standard
 * (EventSource). Bytes may be fed in chunks split anywhere, even inside a
 * UTF-8 character or between the CR and LF of a line end. Work per feed is
 * proportional to the bytes fed.
 *
 * Each complete event emits #EpsimoSseParser::event with (event type, data,
 * last event id), all valid UTF-8 (invalid bytes become U+FFFD). A data value
 * that contains U+0000 is seen by handlers only up to that character.
 *
 * The parser is not reentrant: do not feed it from an ::event handler.
 */

/* Returns a new parser (transfer full). */
EpsimoSseParser *epsimo_sse_parser_new               (void);

/* Parses @len bytes of @data (need not be NUL-terminated) and emits
 * ::event for every event completed by them. */
void             epsimo_sse_parser_feed              (EpsimoSseParser *self,
                                                      const char      *data,
                                                      gsize            len);

/* Tells the parser the stream ended. As the spec says, an event not yet
 * ended by a blank line is discarded. The parser is then ready for a new
 * stream (a reconnection): its last event id and retry are kept. */
void             epsimo_sse_parser_end               (EpsimoSseParser *self);

/* The last event ID string of the spec: set from the `id` field when an
 * event is dispatched; "" until then. Owned by the parser. */
const char      *epsimo_sse_parser_get_last_event_id (EpsimoSseParser *self);

/* The reconnection time in milliseconds from the last valid `retry` field,
 * or -1 when none was seen. */
gint64           epsimo_sse_parser_get_retry         (EpsimoSseParser *self);

G_END_DECLS
