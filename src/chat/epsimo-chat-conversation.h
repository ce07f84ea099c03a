/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "epsimo-session.h"

#include "epsimo-chat-item.h"

G_BEGIN_DECLS

#define EPSIMO_TYPE_CHAT_CONVERSATION (epsimo_chat_conversation_get_type ())

G_DECLARE_FINAL_TYPE (EpsimoChatConversation, epsimo_chat_conversation,
                      EPSIMO, CHAT_CONVERSATION, GObject)

/* One thread's conversation while the chat page lives: its transcript (a GListStore of
 * EpsimoChatItem: the newest page of messages first, then older pages on request, filling
 * placeholder items when the server told how many messages are older, prepended
 * otherwise), the reply streaming into it, and the composer draft. It keeps streaming while
 * another thread is shown.
 *
 * Properties (read-only, notify): "loaded", "loading", "loading-older", "has-older",
 * "running" (a reply streams), "busy" (a message is on its way, the run not started yet),
 * "can-retry".
 *
 * Signals:
 * ::sent (const char *text): the run started (or the note was stored); the composer may
 *   let go of @text.
 * ::send-failed (const char *text, GError *error): nothing was sent; @text is NULL for a
 *   Retry (the incomplete reply stays as it was).
 * ::reply-finished (EpsimoChatItem *item, gboolean complete): a reply ended, complete or
 *   cut off (not when stopped).
 * ::state-changed (JsonObject *values): the thread's state after a tool changed it
 *   (without the "messages" key); NULL when the server does not send it (reference
 *   dialect): fetch it again.
 * ::load-failed (GError *error): the history could not be loaded. */

EpsimoChatConversation *epsimo_chat_conversation_new            (EpsimoSession *session,
                                                                 const char    *project_id,
                                                                 EpsimoThread  *thread,
                                                                 const char    *assistant_name,
                                                                 gboolean       is_new);
EpsimoThread           *epsimo_chat_conversation_get_thread     (EpsimoChatConversation *self);
/* The assistants' names load beside the history: the turns shown before take it when it comes. */
void                    epsimo_chat_conversation_set_assistant_name (EpsimoChatConversation *self,
                                                                     const char             *name);
GListModel             *epsimo_chat_conversation_get_items      (EpsimoChatConversation *self);
gboolean                epsimo_chat_conversation_get_loaded     (EpsimoChatConversation *self);
gboolean                epsimo_chat_conversation_get_loading    (EpsimoChatConversation *self);
gboolean                epsimo_chat_conversation_get_loading_older (EpsimoChatConversation *self);
gboolean                epsimo_chat_conversation_get_has_older  (EpsimoChatConversation *self);
gboolean                epsimo_chat_conversation_get_running    (EpsimoChatConversation *self);
gboolean                epsimo_chat_conversation_get_busy       (EpsimoChatConversation *self);
gboolean                epsimo_chat_conversation_get_can_retry  (EpsimoChatConversation *self);
/* The composer's text kept while another thread is shown; may be NULL. */
const char             *epsimo_chat_conversation_get_draft      (EpsimoChatConversation *self);
void                    epsimo_chat_conversation_set_draft      (EpsimoChatConversation *self,
                                                                 const char             *draft);
/* Loads the newest page of the history (again after a failure). */
void                    epsimo_chat_conversation_load           (EpsimoChatConversation *self);
/* Fetches the page before the oldest message fetched, when there is one (see above). */
void                    epsimo_chat_conversation_load_older     (EpsimoChatConversation *self);
/* After a failed load_older (), which refuses until then. */
void                    epsimo_chat_conversation_retry_older    (EpsimoChatConversation *self);
/* Sends @text and streams the reply. */
void                    epsimo_chat_conversation_send           (EpsimoChatConversation *self,
                                                                 const char             *text);
/* Stops the streaming reply (it stays, marked stopped). */
void                    epsimo_chat_conversation_stop           (EpsimoChatConversation *self);
/* Runs the last user message again, replacing the incomplete or stopped reply. */
void                    epsimo_chat_conversation_retry          (EpsimoChatConversation *self);
/* Stores @text as a message without a run (reference dialect only). */
void                    epsimo_chat_conversation_add_note       (EpsimoChatConversation *self,
                                                                 const char             *text);
/* Returns: (transfer none) (nullable): the last assistant turn */
EpsimoChatItem         *epsimo_chat_conversation_get_last_reply (EpsimoChatConversation *self);
/* Cancels everything in flight and stops reading the reply; no signal follows. */
void                    epsimo_chat_conversation_close          (EpsimoChatConversation *self);

G_END_DECLS
