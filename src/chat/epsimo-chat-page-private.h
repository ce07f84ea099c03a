/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "epsimo-chat-conversation.h"
#include "epsimo-chat-page.h"
#include "epsimo-composer.h"
#include "epsimo-transcript-view.h"

G_BEGIN_DECLS

/* What the page owes a reply that just ended. */
typedef enum
{
  EPSIMO_CHAT_ATTENTION_NONE   = 0,
  EPSIMO_CHAT_ATTENTION_UNREAD = 1 << 0,  /* the thread's row gets the unread dot */
  EPSIMO_CHAT_ATTENTION_NOTIFY = 1 << 1,  /* a desktop notification is sent */
} EpsimoChatAttention;

/* Not focused: a notification and the dot. Focused but showing another thread (or another
 * section): the dot only. */
EpsimoChatAttention epsimo_chat_page_decide_attention (gboolean window_active,
                                                       gboolean thread_shown);

/* The test hook: when set, the page hands its notifications to @func instead of
 * g_application_send_notification(), with what it would have sent. */
typedef void (*EpsimoChatNotifyFunc) (GApplication  *application,
                                      const char    *id,
                                      GNotification *notification,
                                      const char    *default_action,
                                      GVariant      *target,
                                      gpointer       user_data);

void                epsimo_chat_page_set_notify_func  (EpsimoChatNotifyFunc func,
                                                       gpointer             user_data);

/* For tests: the parts of the page. */
EpsimoChatConversation *epsimo_chat_page_get_conversation (EpsimoChatPage *self);
EpsimoComposer         *epsimo_chat_page_get_composer     (EpsimoChatPage *self);
EpsimoTranscriptView   *epsimo_chat_page_get_transcript   (EpsimoChatPage *self);
GtkWidget              *epsimo_chat_page_get_banner       (EpsimoChatPage *self);
GtkWidget              *epsimo_chat_page_get_threads_view (EpsimoChatPage *self);
gboolean                epsimo_chat_page_get_unread       (EpsimoChatPage *self,
                                                           const char     *thread_id);

G_END_DECLS
