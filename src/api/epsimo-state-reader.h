/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "epsimo-client.h"
#include "epsimo-dialect.h"
#include "epsimo-request.h"

G_BEGIN_DECLS

/* A live thread state (GET /threads/{id}/state), read as it arrives.
 *
 * It carries the whole conversation: 18 MB for 10,000 messages of a page of text each, more
 * than the client reads in one answer and several times that as a JSON tree. So the body
 * is scanned as it arrives and only what was asked for is kept:
 *
 * - EPSIMO_STATE_READ_MESSAGES: a page of the elements of `values.messages` (or of
 *   `values`, when the values are the list itself), as the reference API would send it:
 *   the @limit messages before the one whose id is @before (the newest ones when NULL).
 *   Reading stops at the end of the list, or at @before. Nothing is parsed but a message
 *   that may be the cursor.
 * - EPSIMO_STATE_READ_VALUES: the values without the conversation (the thread's database),
 *   parsed once read.
 *
 * A request the server answers in the reference dialect instead is read whole (under the
 * client's max-response-size), and handed back as it came. */

typedef enum
{
  EPSIMO_STATE_READ_MESSAGES,
  EPSIMO_STATE_READ_VALUES,
} EpsimoStateReadMode;

typedef struct
{
  EpsimoDialect dialect;

  /* The reference answer, parsed (NULL for an empty body). */
  JsonNode     *reference;

  /* EPSIMO_STATE_READ_MESSAGES: the JSON text of each kept message (GBytes), oldest
   * first; whether older ones were let go; how many were read before the cursor (all of
   * them without one); whether the cursor was found. */
  GPtrArray    *messages;
  gboolean      dropped;
  guint         n_read;
  gboolean      found_before;

  /* EPSIMO_STATE_READ_VALUES: the values, an object without "messages". */
  JsonObject   *values;
} EpsimoStateRead;

void             epsimo_state_read_free          (EpsimoStateRead *read);

/* @limit and @before are for EPSIMO_STATE_READ_MESSAGES. @io_priority: what the chunks
 * are read at (below the frame clock's for a page read while the user scrolls). */
void             epsimo_state_reader_read_async  (EpsimoClient         *client,
                                                  EpsimoRequest        *request,
                                                  EpsimoStateReadMode   mode,
                                                  guint                 limit,
                                                  const char           *before,
                                                  int                   io_priority,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
EpsimoStateRead *epsimo_state_reader_read_finish (GAsyncResult         *result,
                                                  GError              **error);

/* For tests: what reading @text (a live state of @len bytes, or -1: up to its NUL) keeps,
 * the body arriving in pieces of @piece bytes. */
EpsimoStateRead *epsimo_state_reader_scan_text   (EpsimoStateReadMode   mode,
                                                  guint                 limit,
                                                  const char           *before,
                                                  const char           *text,
                                                  gssize                len,
                                                  gsize                 piece,
                                                  GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EpsimoStateRead, epsimo_state_read_free)

G_END_DECLS
