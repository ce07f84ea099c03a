/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-chat-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "api/epsimo-api-error.h"
#include "widgets/epsimo-error-banner.h"
#include "widgets/epsimo-list-click.h"
#include "widgets/epsimo-section-shortcut.h"
#include "widgets/epsimo-stack-page.h"
#include "widgets/epsimo-tooltip.h"

#include "epsimo-chat-page-private.h"
#include "epsimo-thread-row.h"

#define NAME_MAX_CHARS    40
#define EXCERPT_MAX_CHARS 140

typedef enum
{
  FAILURE_NONE,
  FAILURE_SEND,     /* the composer's text was not sent */
  FAILURE_RETRY,    /* a Retry did not start */
  FAILURE_LOAD,     /* the history did not load */
} Failure;

struct _EpsimoChatPage
{
  AdwBin                  parent_instance;

  EpsimoSession          *session;
  EpsimoProject          *project;
  GCancellable           *cancellable;
  gulong                  balance_id;
  EpsimoBalance          *balance;
  gulong                  balance_notify_id;
  GtkWindow              *window;
  gulong                  active_id;

  GListStore             *threads;
  GtkSorter              *sorter;
  GtkStringFilter        *filter;
  GListModel             *filtered;
  GtkSliceListModel      *shown;           /* the first rows while the list grows */
  guint                   grow_tick_id;
  gboolean                grow_started;
  GtkSingleSelection     *selection;
  GHashTable             *bound_rows;      /* EpsimoThread → EpsimoThreadRow, while bound */
  GHashTable             *assistants;      /* id → EpsimoAssistant */
  GPtrArray              *assistant_list;
  GHashTable             *conversations;   /* thread id → EpsimoChatConversation */
  GHashTable             *unread;          /* thread ids */
  EpsimoChatConversation *current;
  gulong                  items_changed_id;
  gboolean                threads_loaded;
  gboolean                loading_threads;
  gboolean                loading_assistants;
  gboolean                loading;         /* any of the above, or the open thread's history */
  char                   *pending_select;

  /* A new thread, made on the server with its first message. */
  gboolean                drafting;
  EpsimoAssistant        *draft_assistant;
  char                   *draft_name;
  gboolean                creating;
  gboolean                new_thread_pending;

  Failure                 failure;
  gboolean                side_panel_visible;

  /* build-aux/bench only (EPSIMO_BENCH_FILE): see bench_on_after_paint(). */
  GdkFrameClock          *bench_clock;
  gulong                  bench_paint_id;

  AdwLeaflet             *leaflet;
  GtkWidget              *threads_pane;
  GtkSearchEntry         *search_entry;
  EpsimoErrorBanner      *threads_banner;
  GtkStack               *threads_stack;
  GtkListView            *threads_view;
  GtkSpinner             *threads_spinner;
  GtkWidget              *conversation_pane;
  GtkWidget              *new_button;
  GtkWidget              *back_button;
  AdwWindowTitle         *conversation_title;
  EpsimoErrorBanner      *banner;
  GtkStack               *conversation_stack;
  EpsimoTranscriptView   *transcript;
  GtkSpinner             *conversation_spinner;
  AdwStatusPage          *empty_status;
  GtkRevealer            *side_revealer;
  AdwBin                 *side_bin;
  EpsimoComposer         *composer;
};

G_DEFINE_FINAL_TYPE (EpsimoChatPage, epsimo_chat_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROJECT,
  PROP_THREAD,
  PROP_SIDE_PANEL_VISIBLE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  STATE_CHANGED,
  FILES_DROPPED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static EpsimoChatNotifyFunc notify_func;
static gpointer notify_func_data;

static void update_ui            (EpsimoChatPage *self);
static void update_threads_stack (EpsimoChatPage *self);

/* Small helpers */

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
toast (EpsimoChatPage *self,
       const char     *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static const char *
project_id (EpsimoChatPage *self)
{
  return self->project != NULL ? epsimo_project_get_id (self->project) : NULL;
}

static const char *
assistant_name (EpsimoChatPage *self,
                const char     *assistant_id)
{
  EpsimoAssistant *assistant;

  if (assistant_id == NULL)
    return NULL;
  assistant = g_hash_table_lookup (self->assistants, assistant_id);
  return assistant != NULL ? epsimo_assistant_get_name (assistant) : NULL;
}

static const char *
thread_title (EpsimoThread *thread)
{
  const char *name = epsimo_thread_get_name (thread);

  return name != NULL && *name != '\0' ? name : _("Untitled Thread");
}

static EpsimoThread *
find_thread (EpsimoChatPage *self,
             const char     *thread_id,
             guint          *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->threads));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoThread) thread = g_list_model_get_item (G_LIST_MODEL (self->threads), i);

      if (g_strcmp0 (epsimo_thread_get_id (thread), thread_id) == 0)
        {
          if (position != NULL)
            *position = i;
          return thread; /* the store keeps a reference */
        }
    }
  return NULL;
}

static GtkWindow *
get_window (EpsimoChatPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static GApplication *
get_application (EpsimoChatPage *self)
{
  GtkWindow *window = get_window (self);

  if (window != NULL && gtk_window_get_application (window) != NULL)
    return G_APPLICATION (gtk_window_get_application (window));
  return g_application_get_default ();
}

static char *
notification_id (const char *thread_id)
{
  return g_strconcat ("epsimo-reply-", thread_id, NULL);
}

/* A message a user can act on: a 429 says when to try again. */
static char *
describe_error (EpsimoChatPage *self,
                const char     *what,
                const GError   *error)
{
  g_autofree char *reason = NULL;

  if (g_error_matches (error, EPSIMO_API_ERROR, EPSIMO_API_ERROR_RATE_LIMITED))
    {
      gint64 reset = 0;
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      if (self->session != NULL)
        g_object_get (epsimo_session_get_client (self->session), "rate-limit-reset", &reset, NULL);
      if (reset > now)
        {
          guint seconds = (guint) MIN (reset - now, G_MAXUINT);

          reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "The server is receiving too many requests. "
                                                 "Try again in %u second.",
                                                 "The server is receiving too many requests. "
                                                 "Try again in %u seconds.", seconds),
                                    seconds);
        }
      else
        reason = g_strdup (_("The server is receiving too many requests. "
                             "Try again in a minute."));
    }
  else
    reason = g_strdup (error->message);

  if (what == NULL)
    return g_steal_pointer (&reason);
  /* Translators: what failed, then why ("The message was not sent. The server…") */
  return g_strdup_printf (_("%s %s"), what, reason);
}

static void
show_failure (EpsimoChatPage *self,
              Failure         failure,
              const char     *what,
              const GError   *error)
{
  g_autofree char *message = describe_error (self, what, error);

  self->failure = failure;
  epsimo_error_banner_set_message (self->banner, message);
  epsimo_error_banner_set_show_retry (self->banner, TRUE);
  epsimo_error_banner_reveal (self->banner);
}

static void
hide_failure (EpsimoChatPage *self)
{
  self->failure = FAILURE_NONE;
  epsimo_error_banner_hide (self->banner);
}

/* CSS */

static void
ensure_css (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  if (display == NULL || g_object_get_data (G_OBJECT (display), "epsimo-chat-css"))
    return;

  /* The application's style.css belongs to the shell: the chat brings its own rules, below
   * the application's priority so a theme can still override them. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/com/epsimoagents/Desktop/chat/epsimo-chat.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION - 1);
  g_object_set_data_full (G_OBJECT (display), "epsimo-chat-css",
                          g_steal_pointer (&provider), g_object_unref);
}

/* Unread replies and notifications */

EpsimoChatAttention
epsimo_chat_page_decide_attention (gboolean window_active,
                                   gboolean thread_shown)
{
  EpsimoChatAttention attention = EPSIMO_CHAT_ATTENTION_NONE;

  if (!window_active)
    attention |= EPSIMO_CHAT_ATTENTION_NOTIFY;
  if (!window_active || !thread_shown)
    attention |= EPSIMO_CHAT_ATTENTION_UNREAD;
  return attention;
}

void
epsimo_chat_page_set_notify_func (EpsimoChatNotifyFunc func,
                                  gpointer             user_data)
{
  notify_func = func;
  notify_func_data = user_data;
}

static void
set_unread (EpsimoChatPage *self,
            EpsimoThread   *thread,
            gboolean        unread)
{
  const char *id = epsimo_thread_get_id (thread);
  EpsimoThreadRow *row;

  if (id == NULL)
    return;

  if (unread)
    g_hash_table_add (self->unread, g_strdup (id));
  else if (g_hash_table_remove (self->unread, id))
    {
      GApplication *application = get_application (self);
      g_autofree char *notification = notification_id (id);

      if (application != NULL && notify_func == NULL)
        g_application_withdraw_notification (application, notification);
    }

  row = g_hash_table_lookup (self->bound_rows, thread);
  if (row != NULL)
    epsimo_thread_row_set_unread (row, unread);
}

static gboolean
thread_is_shown (EpsimoChatPage         *self,
                 EpsimoChatConversation *conversation)
{
  if (conversation == NULL || conversation != self->current
      || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;

  return !adw_leaflet_get_folded (self->leaflet)
         || adw_leaflet_get_visible_child (self->leaflet) == self->conversation_pane;
}

static char *
excerpt (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  /* A notification shows plain text: drop the markdown marks. */
  for (const char *p = text; *p != '\0' && out->len < EXCERPT_MAX_CHARS * 4; p++)
    {
      if (*p == '\n' || *p == '\t')
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }
      else if (*p != '#' && *p != '*' && *p != '`' && *p != '_' && *p != '>')
        g_string_append_c (out, *p);
    }
  g_strstrip (out->str);

  if (g_utf8_strlen (out->str, -1) > EXCERPT_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (out->str, 0, EXCERPT_MAX_CHARS);

      return g_strconcat (cut, "…", NULL);
    }
  return g_strdup (out->str);
}

static void
send_notification (EpsimoChatPage         *self,
                   EpsimoChatConversation *conversation,
                   EpsimoChatItem         *item,
                   gboolean                complete)
{
  EpsimoThread *thread = epsimo_chat_conversation_get_thread (conversation);
  GApplication *application = get_application (self);
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autofree char *id = notification_id (epsimo_thread_get_id (thread));
  g_autofree char *body = NULL;
  g_autofree char *target_text = NULL;

  if (complete)
    body = excerpt (epsimo_chat_item_get_text (item));
  else
    body = g_strdup (_("The reply was cut off. Open the thread to retry."));

  notification = g_notification_new (thread_title (thread));
  g_notification_set_body (notification, body);
  target_text = g_strconcat (project_id (self), "\t", epsimo_thread_get_id (thread), NULL);
  target = g_variant_ref_sink (g_variant_new_string (target_text));
  g_notification_set_default_action_and_target_value (notification, "app.open-thread", target);

  if (notify_func != NULL)
    notify_func (application, id, notification, "app.open-thread", target, notify_func_data);
  else if (application != NULL)
    g_application_send_notification (application, id, notification);
}

static void
on_window_active_changed (EpsimoChatPage *self)
{
  EpsimoThread *thread;

  if (self->window == NULL || !gtk_window_is_active (self->window) || self->current == NULL)
    return;

  thread = epsimo_chat_conversation_get_thread (self->current);
  if (thread_is_shown (self, self->current))
    set_unread (self, thread, FALSE);
}

/* Conversations */

static void
on_conversation_notify (EpsimoChatConversation *conversation,
                        GParamSpec             *pspec,
                        EpsimoChatPage         *self)
{
  if (conversation == self->current)
    update_ui (self);
}

static void
on_conversation_sent (EpsimoChatConversation *conversation,
                      const char             *text,
                      EpsimoChatPage         *self)
{
  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);

  if (conversation != self->current)
    {
      if (g_strcmp0 (epsimo_chat_conversation_get_draft (conversation), text) == 0)
        epsimo_chat_conversation_set_draft (conversation, NULL);
      return;
    }

  /* The text left the composer only now that the server has it. */
  {
    g_autofree char *typed = epsimo_composer_dup_text (self->composer);

    if (g_strcmp0 (typed, text) == 0)
      epsimo_composer_set_text (self->composer, "");
  }
  hide_failure (self);
  update_ui (self);
}

static void
on_conversation_send_failed (EpsimoChatConversation *conversation,
                             const char             *text,
                             const GError           *error,
                             EpsimoChatPage         *self)
{
  if (conversation != self->current)
    {
      g_autofree char *message = describe_error (self, _("A message was not sent."), error);

      /* Kept for when its thread is shown again. */
      if (text != NULL && epsimo_chat_conversation_get_draft (conversation) == NULL)
        epsimo_chat_conversation_set_draft (conversation, text);
      toast (self, message);
      return;
    }

  if (text != NULL)
    {
      g_autofree char *typed = epsimo_composer_dup_text (self->composer);

      if (*typed == '\0')
        epsimo_composer_set_text (self->composer, text);
      show_failure (self, FAILURE_SEND, _("The message was not sent."), error);
    }
  else
    show_failure (self, FAILURE_RETRY, _("The reply could not be retried."), error);

  update_ui (self);
}

static void
on_conversation_reply_finished (EpsimoChatConversation *conversation,
                                EpsimoChatItem         *item,
                                gboolean                complete,
                                EpsimoChatPage         *self)
{
  GtkWindow *window = get_window (self);
  gboolean active = window != NULL && gtk_window_is_active (window);
  EpsimoChatAttention attention;

  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);

  attention = epsimo_chat_page_decide_attention (active, thread_is_shown (self, conversation));
  if (attention & EPSIMO_CHAT_ATTENTION_UNREAD)
    set_unread (self, epsimo_chat_conversation_get_thread (conversation), TRUE);
  if (attention & EPSIMO_CHAT_ATTENTION_NOTIFY)
    send_notification (self, conversation, item, complete);
}

static void
on_conversation_state_changed (EpsimoChatConversation *conversation,
                               JsonObject             *values,
                               EpsimoChatPage         *self)
{
  EpsimoThread *thread = epsimo_chat_conversation_get_thread (conversation);

  g_signal_emit (self, signals[STATE_CHANGED], 0, values, epsimo_thread_get_id (thread));
}

static void
on_conversation_load_failed (EpsimoChatConversation *conversation,
                             const GError           *error,
                             EpsimoChatPage         *self)
{
  if (conversation != self->current)
    return;

  show_failure (self, FAILURE_LOAD, _("The messages could not be loaded."), error);
  update_ui (self);
}

static EpsimoChatConversation *
ensure_conversation (EpsimoChatPage *self,
                     EpsimoThread   *thread,
                     gboolean        is_new)
{
  const char *id = epsimo_thread_get_id (thread);
  EpsimoChatConversation *conversation = g_hash_table_lookup (self->conversations, id);
  const char *name;

  if (conversation != NULL)
    return conversation;

  name = assistant_name (self, epsimo_thread_get_assistant_id (thread));
  conversation = epsimo_chat_conversation_new (self->session, project_id (self), thread, name,
                                               is_new);
  g_signal_connect_object (conversation, "notify", G_CALLBACK (on_conversation_notify), self, 0);
  g_signal_connect_object (conversation, "sent", G_CALLBACK (on_conversation_sent), self, 0);
  g_signal_connect_object (conversation, "send-failed",
                           G_CALLBACK (on_conversation_send_failed), self, 0);
  g_signal_connect_object (conversation, "reply-finished",
                           G_CALLBACK (on_conversation_reply_finished), self, 0);
  g_signal_connect_object (conversation, "state-changed",
                           G_CALLBACK (on_conversation_state_changed), self, 0);
  g_signal_connect_object (conversation, "load-failed",
                           G_CALLBACK (on_conversation_load_failed), self, 0);
  g_hash_table_insert (self->conversations, g_strdup (id), conversation);
  return conversation;
}

static void
on_items_changed (EpsimoChatPage *self)
{
  update_ui (self);
}

static void
set_current (EpsimoChatPage         *self,
             EpsimoChatConversation *conversation)
{
  gboolean had_none = self->current == NULL;

  if (self->current == conversation)
    return;

  if (self->current != NULL)
    {
      g_autofree char *typed = epsimo_composer_dup_text (self->composer);

      epsimo_chat_conversation_set_draft (self->current, typed);
      g_clear_signal_handler (&self->items_changed_id,
                              epsimo_chat_conversation_get_items (self->current));
    }

  self->current = conversation;
  hide_failure (self);

  if (conversation != NULL)
    {
      GListModel *items = epsimo_chat_conversation_get_items (conversation);

      self->drafting = FALSE;
      self->items_changed_id = g_signal_connect_swapped (items, "items-changed",
                                                         G_CALLBACK (on_items_changed), self);
      epsimo_transcript_view_set_model (self->transcript, items);
      epsimo_transcript_view_prepare_rows (self->transcript);
      /* Text written for a thread not made yet goes along rather than being lost. */
      if (!(had_none && epsimo_chat_conversation_get_draft (conversation) == NULL))
        epsimo_composer_set_text (self->composer,
                                  epsimo_chat_conversation_get_draft (conversation));
      epsimo_chat_conversation_load (conversation);
      set_unread (self, epsimo_chat_conversation_get_thread (conversation), FALSE);
    }
  else
    {
      epsimo_transcript_view_set_model (self->transcript, NULL);
      epsimo_composer_set_text (self->composer, "");
    }

  update_ui (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREAD]);
}

/* Also while unfolded: the leaflet keeps what it shows when the window narrows (or the
 * database panel opens beside the conversation), and that is the open thread. */
static void
show_conversation_pane (EpsimoChatPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->conversation_pane);
}

/* No thread open any more (another project, the open one deleted): a folded page shows
 * the list to choose from, not an empty conversation pane. */
static void
show_threads_pane (EpsimoChatPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->threads_pane);
}

static void
show_thread (EpsimoChatPage *self,
             EpsimoThread   *thread)
{
  self->drafting = FALSE;
  set_current (self, ensure_conversation (self, thread, FALSE));
  show_conversation_pane (self);
  /* Opening a thread reads its reply, even when it was already the one shown. */
  set_unread (self, thread, FALSE);
}

/* A list of a thousand threads would make and bind GtkListView's 200 rows in the frame that
 * first shows it. It is given the rows that fill the window first, then the rest over the
 * next frames (the GtkListView of GTK 4.8 makes at most 200 rows, so after that the rest
 * comes at once). Rows are only ever added below the others: what is shown does not move,
 * and growing is over within a few frames, before anyone scrolls. */
#define THREADS_FIRST_ROWS 40
#define THREADS_ROWS_PER_FRAME 40
#define THREADS_MAX_ROWS 200
#define THREAD_ROW_MIN_HEIGHT 40  /* px, less than a row is: the first rows fill the list */

static void
stop_growing (EpsimoChatPage *self)
{
  if (self->grow_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->threads_view), self->grow_tick_id);
  self->grow_tick_id = 0;
  gtk_slice_list_model_set_size (self->shown, G_MAXUINT);
}

/* The whole list is there: the open thread, shown while it was still beyond the rows
 * given (see select_thread_object ()), is selected now, without showing it again. */
static void
finish_growing (EpsimoChatPage *self)
{
  EpsimoThread *thread;
  guint n;

  stop_growing (self);
  if (self->current == NULL || self->drafting
      || gtk_single_selection_get_selected_item (self->selection) != NULL)
    return;

  thread = epsimo_chat_conversation_get_thread (self->current);
  n = g_list_model_get_n_items (self->filtered);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoThread) candidate = g_list_model_get_item (self->filtered, i);

      if (candidate == thread)
        {
          gtk_single_selection_set_selected (self->selection, i);
          break;
        }
    }
}

static gboolean
grow_threads (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  EpsimoChatPage *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->shown) + THREADS_ROWS_PER_FRAME;

  /* The first frame is the one showing the list: it only gets the first rows. */
  if (!self->grow_started)
    {
      self->grow_started = TRUE;
      return G_SOURCE_CONTINUE;
    }
  if (size < THREADS_MAX_ROWS)
    {
      gtk_slice_list_model_set_size (self->shown, size);
      return G_SOURCE_CONTINUE;
    }

  self->grow_tick_id = 0;
  finish_growing (self);
  return G_SOURCE_REMOVE;
}

/* Called before the list's threads are replaced by @n_threads others. */
static void
start_growing (EpsimoChatPage *self,
               guint           n_threads)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->threads_stack));
  guint first = THREADS_FIRST_ROWS;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* The list takes the place of what the stack shows now (loading): as many rows as fill
   * that, when it is laid out already; before the window's first frame (it waits for the
   * threads), as many as its height would hold. */
  if (height <= 0 && GTK_IS_WINDOW (root) && !gtk_widget_get_mapped (GTK_WIDGET (root)))
    {
      int width;   /* GTK 4.8 writes it whether asked or not */

      gtk_window_get_default_size (GTK_WINDOW (root), &width, &height);
    }
  if (height > 0)
    first = MIN (first, (guint) height / THREAD_ROW_MIN_HEIGHT + 1);

  stop_growing (self);
  if (n_threads <= first)
    return;

  gtk_slice_list_model_set_size (self->shown, first);
  self->grow_started = FALSE;
  self->grow_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->threads_view),
                                                     grow_threads, self, NULL);
}

/* Selects @thread in the list (clearing a search that hides it) and shows it. */
static void
select_thread_object (EpsimoChatPage *self,
                      EpsimoThread   *thread)
{
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      guint n = g_list_model_get_n_items (self->filtered);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(EpsimoThread) candidate = g_list_model_get_item (self->filtered, i);

          if (candidate == thread)
            {
              /* Beyond the rows shown while the list grows: selected once it is there
               * (it is out of sight below them), shown now. */
              if (i >= g_list_model_get_n_items (G_LIST_MODEL (self->shown)))
                {
                  gtk_single_selection_set_selected (self->selection,
                                                     GTK_INVALID_LIST_POSITION);
                  show_thread (self, thread);
                  return;
                }
              gtk_single_selection_set_selected (self->selection, i);
              show_thread (self, thread);
              return;
            }
        }
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_string_filter_set_search (self->filter, NULL);
    }

  show_thread (self, thread);
}

/* The UI */

static gboolean
no_threads_left (EpsimoChatPage *self)
{
  return self->balance != NULL && epsimo_balance_get_threads_remaining (self->balance) <= 0;
}

static void
update_actions (EpsimoChatPage *self)
{
  EpsimoChatConversation *conversation = self->current;
  gboolean has_project = self->session != NULL && self->project != NULL;
  gboolean running = conversation != NULL && epsimo_chat_conversation_get_running (conversation);
  gboolean busy = self->creating
                  || (conversation != NULL && epsimo_chat_conversation_get_busy (conversation));
  gboolean notes = self->session != NULL && conversation != NULL
                   && epsimo_client_get_dialect (epsimo_session_get_client (self->session))
                      == EPSIMO_DIALECT_REFERENCE;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "chat.new-thread", has_project);
  gtk_widget_action_set_enabled (widget, "chat.delete-thread", has_project);
  gtk_widget_action_set_enabled (widget, "chat.stop", running);
  gtk_widget_action_set_enabled (widget, "chat.jump-to-latest", conversation != NULL);
  gtk_widget_action_set_enabled (widget, "chat.retry",
                                 conversation != NULL
                                 && epsimo_chat_conversation_get_can_retry (conversation));
  gtk_widget_action_set_enabled (widget, "chat.add-note",
                                 notes && !running && !busy
                                 && epsimo_chat_conversation_get_loaded (conversation)
                                 && !epsimo_composer_get_empty (self->composer));
  epsimo_composer_set_show_note (self->composer, notes);
}

/* The window waits for this before it first shows (epsimo_window_present_when_ready()). */
static void
sync_loading (EpsimoChatPage *self)
{
  gboolean loading = self->loading_threads || self->loading_assistants
                     || (self->current != NULL
                         && epsimo_chat_conversation_get_loading (self->current));

  if (loading == self->loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
update_ui (EpsimoChatPage *self)
{
  EpsimoChatConversation *conversation = self->current;
  const char *page = "empty";
  gboolean running = FALSE;
  gboolean busy = self->creating;
  gboolean can_send = FALSE;

  if (conversation != NULL)
    {
      EpsimoThread *thread = epsimo_chat_conversation_get_thread (conversation);
      gboolean loaded = epsimo_chat_conversation_get_loaded (conversation);
      guint n = g_list_model_get_n_items (epsimo_chat_conversation_get_items (conversation));

      adw_window_title_set_title (self->conversation_title, thread_title (thread));
      adw_window_title_set_subtitle (self->conversation_title,
                                     assistant_name (self,
                                                     epsimo_thread_get_assistant_id (thread)));
      if (n > 0)
        page = "transcript";
      else if (epsimo_chat_conversation_get_loading (conversation))
        page = "loading";
      else if (loaded)
        {
          adw_status_page_set_title (self->empty_status, _("No Messages Yet"));
          adw_status_page_set_description (self->empty_status,
                                           _("Write below to start the conversation."));
        }
      else
        {
          adw_status_page_set_title (self->empty_status, _("Messages Not Loaded"));
          adw_status_page_set_description (self->empty_status, NULL);
        }

      running = epsimo_chat_conversation_get_running (conversation);
      busy = busy || epsimo_chat_conversation_get_busy (conversation);
      can_send = loaded;
      epsimo_transcript_view_set_loading_older (self->transcript,
                                                epsimo_chat_conversation_get_loading_older (
                                                  conversation));
    }
  else if (self->drafting && self->draft_assistant != NULL)
    {
      const char *name = epsimo_assistant_get_name (self->draft_assistant);
      g_autofree char *description = NULL;

      /* Translators: %s is an assistant's name */
      description = g_strdup_printf (_("Your first message starts a thread with %s."), name);
      adw_window_title_set_title (self->conversation_title,
                                  self->draft_name != NULL && *self->draft_name != '\0'
                                  ? self->draft_name : _("New Thread"));
      adw_window_title_set_subtitle (self->conversation_title, name);
      adw_status_page_set_title (self->empty_status, _("New Conversation"));
      adw_status_page_set_description (self->empty_status, description);
      can_send = TRUE;
    }
  else
    {
      adw_window_title_set_title (self->conversation_title, "");
      adw_window_title_set_subtitle (self->conversation_title, NULL);
      adw_status_page_set_title (self->empty_status, _("No Thread Selected"));
      adw_status_page_set_description (self->empty_status,
                                       self->project != NULL
                                       ? _("Choose a thread, or start a new one with Ctrl+N.")
                                       : NULL);
    }

  epsimo_stack_show_page (self->conversation_stack, page);
  gtk_spinner_set_spinning (self->conversation_spinner, g_str_equal (page, "loading"));

  epsimo_composer_set_running (self->composer, running);
  epsimo_composer_set_busy (self->composer, busy);
  epsimo_composer_set_can_send (self->composer, can_send);
  epsimo_composer_set_no_threads_left (self->composer, no_threads_left (self),
                                       self->drafting && conversation == NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->composer),
                            self->session != NULL && self->project != NULL
                            && (conversation != NULL || self->drafting));

  update_actions (self);
  sync_loading (self);
}

static void
update_threads_stack (EpsimoChatPage *self)
{
  const char *page;

  if (self->session == NULL || self->project == NULL)
    page = "none";
  else if (!self->threads_loaded)
    page = self->loading_threads ? "loading" : "none";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->threads)) == 0)
    page = "empty";
  else if (g_list_model_get_n_items (self->filtered) == 0)
    page = "no-match";
  else
    page = "list";

  epsimo_stack_show_page (self->threads_stack, page);
  gtk_spinner_set_spinning (self->threads_spinner, g_str_equal (page, "loading"));
  sync_loading (self);
}

/* Threads list */

static int
compare_threads (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  GDateTime *time_a = epsimo_thread_get_updated_at ((EpsimoThread *) a);
  GDateTime *time_b = epsimo_thread_get_updated_at ((EpsimoThread *) b);

  /* The latest activity first; undated threads last. */
  if (time_a == NULL || time_b == NULL)
    return (time_a == NULL) - (time_b == NULL);
  return g_date_time_compare (time_b, time_a);
}

static void
setup_thread_row (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  EpsimoChatPage           *self)
{
  gtk_list_item_set_child (list_item, epsimo_thread_row_new ());
}

static void
bind_thread_row (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 EpsimoChatPage           *self)
{
  EpsimoThreadRow *row = EPSIMO_THREAD_ROW (gtk_list_item_get_child (list_item));
  EpsimoThread *thread = gtk_list_item_get_item (list_item);

  epsimo_thread_row_set_thread (row, thread,
                                assistant_name (self, epsimo_thread_get_assistant_id (thread)));
  epsimo_thread_row_set_unread (row, g_hash_table_contains (self->unread,
                                                            epsimo_thread_get_id (thread)));
  g_hash_table_insert (self->bound_rows, thread, row);
}

static void
unbind_thread_row (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   EpsimoChatPage           *self)
{
  EpsimoThreadRow *row = EPSIMO_THREAD_ROW (gtk_list_item_get_child (list_item));
  EpsimoThread *thread = epsimo_thread_row_get_thread (row);

  if (thread != NULL && g_hash_table_lookup (self->bound_rows, thread) == row)
    g_hash_table_remove (self->bound_rows, thread);
  epsimo_thread_row_set_thread (row, NULL, NULL);
}

static void
on_selected_thread_changed (EpsimoChatPage *self)
{
  EpsimoThread *thread = gtk_single_selection_get_selected_item (self->selection);

  /* No selection (a search hiding the thread, a new thread being written) keeps what is
   * shown. */
  if (thread != NULL)
    show_thread (self, thread);
}

static void
on_thread_activated (EpsimoChatPage *self,
                     guint           position)
{
  g_autoptr(EpsimoThread) thread = g_list_model_get_item (self->filtered, position);

  if (thread != NULL)
    show_thread (self, thread);
}

static void
on_filtered_changed (EpsimoChatPage *self)
{
  update_threads_stack (self);
}

static void
on_search_changed (EpsimoChatPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  gtk_string_filter_set_search (self->filter, *text != '\0' ? text : NULL);
}

/* Refreshes what bound rows and open conversations show of the assistants. */
static void
refresh_rows (EpsimoChatPage *self)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    epsimo_thread_row_set_thread (value, key,
                                  assistant_name (self, epsimo_thread_get_assistant_id (key)));

  g_hash_table_iter_init (&iter, self->conversations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      EpsimoThread *thread = epsimo_chat_conversation_get_thread (value);
      const char *name = assistant_name (self, epsimo_thread_get_assistant_id (thread));

      epsimo_chat_conversation_set_assistant_name (value, name);
    }
}

static void
apply_pending_select (EpsimoChatPage *self)
{
  g_autofree char *id = g_steal_pointer (&self->pending_select);
  EpsimoThread *thread;

  if (id == NULL)
    return;

  thread = find_thread (self, id, NULL);
  if (thread != NULL)
    select_thread_object (self, thread);
}

static void
threads_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  EpsimoChatPage *self;
  g_autoptr(GPtrArray) threads = NULL;
  g_autoptr(GError) error = NULL;

  threads = epsimo_session_list_threads_finish (EPSIMO_SESSION (source), result, &error);
  if (is_cancelled (error))
    return;

  self = user_data;
  self->loading_threads = FALSE;
  if (threads == NULL)
    {
      g_autofree char *message = describe_error (self, _("The threads could not be loaded."),
                                                 error);

      epsimo_error_banner_set_message (self->threads_banner, message);
      epsimo_error_banner_reveal (self->threads_banner);
      update_threads_stack (self);
      return;
    }

  epsimo_error_banner_hide (self->threads_banner);
  start_growing (self, threads->len);
  g_list_store_splice (self->threads, 0, g_list_model_get_n_items (G_LIST_MODEL (self->threads)),
                       threads->pdata, threads->len);
  self->threads_loaded = TRUE;
  update_threads_stack (self);
  apply_pending_select (self);
  update_ui (self);
}

static void
assistants_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  EpsimoChatPage *self;
  g_autoptr(GPtrArray) assistants = NULL;
  g_autoptr(GError) error = NULL;

  assistants = epsimo_assistants_service_list_finish (EPSIMO_ASSISTANTS_SERVICE (source),
                                                      result, &error);
  if (is_cancelled (error))
    return;

  self = user_data;
  self->loading_assistants = FALSE;
  if (assistants == NULL)
    {
      /* Threads still work without names; a new thread needs the list: it asks again. */
      g_debug ("Assistants not loaded: %s", error->message);
      if (self->new_thread_pending)
        {
          g_autofree char *message = describe_error (self,
                                                     _("The assistants could not be loaded."),
                                                     error);

          self->new_thread_pending = FALSE;
          toast (self, message);
        }
      sync_loading (self);
      return;
    }

  g_hash_table_remove_all (self->assistants);
  g_ptr_array_set_size (self->assistant_list, 0);
  for (guint i = 0; i < assistants->len; i++)
    {
      EpsimoAssistant *assistant = g_ptr_array_index (assistants, i);

      g_ptr_array_add (self->assistant_list, g_object_ref (assistant));
      g_hash_table_insert (self->assistants, g_strdup (epsimo_assistant_get_id (assistant)),
                           g_object_ref (assistant));
    }
  refresh_rows (self);
  update_ui (self);

  if (self->new_thread_pending)
    {
      self->new_thread_pending = FALSE;
      gtk_widget_activate_action (GTK_WIDGET (self), "chat.new-thread", NULL);
    }
}

static void
load_assistants (EpsimoChatPage *self)
{
  if (self->loading_assistants)
    return;

  self->loading_assistants = TRUE;
  epsimo_assistants_service_list_async (epsimo_session_get_assistants (self->session),
                                        project_id (self), self->cancellable,
                                        assistants_cb, self);
}

static void
load_threads (EpsimoChatPage *self)
{
  if (self->loading_threads)
    return;

  self->loading_threads = TRUE;
  update_threads_stack (self);
  /* The session may have asked for them already, while signing in. */
  epsimo_session_list_threads_async (self->session, project_id (self), self->cancellable,
                                     threads_cb, self);
}

static void
on_threads_retry (EpsimoChatPage *self)
{
  if (self->session == NULL || self->project == NULL)
    return;

  epsimo_error_banner_hide (self->threads_banner);
  load_assistants (self);
  load_threads (self);
}

/* Everything shown belongs to one project of one account: start over. */
static void
reset (EpsimoChatPage *self)
{
  GHashTableIter iter;
  gpointer value;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_current (self, NULL);
  show_threads_pane (self);
  g_hash_table_iter_init (&iter, self->conversations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    epsimo_chat_conversation_close (value);
  g_hash_table_remove_all (self->conversations);
  g_hash_table_remove_all (self->unread);
  g_hash_table_remove_all (self->assistants);
  g_ptr_array_set_size (self->assistant_list, 0);
  g_list_store_remove_all (self->threads);
  g_clear_pointer (&self->pending_select, g_free);
  g_clear_object (&self->draft_assistant);
  g_clear_pointer (&self->draft_name, g_free);
  self->drafting = FALSE;
  self->creating = FALSE;
  self->new_thread_pending = FALSE;
  self->threads_loaded = FALSE;
  self->loading_threads = FALSE;
  self->loading_assistants = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  epsimo_error_banner_hide (self->threads_banner);
  hide_failure (self);

  if (self->session != NULL && self->project != NULL)
    {
      load_assistants (self);
      load_threads (self);
    }

  update_threads_stack (self);
  update_ui (self);
}

/* New threads */

static char *
name_from_text (const char *text)
{
  g_autofree char *line = NULL;
  const char *end = strchr (text, '\n');

  line = end != NULL ? g_strndup (text, end - text) : g_strdup (text);
  g_strstrip (line);
  if (g_utf8_strlen (line, -1) > NAME_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, NAME_MAX_CHARS);

      g_strchomp (cut);
      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&line);
}

typedef struct
{
  EpsimoChatPage *self;   /* not a reference: the call is cancelled in dispose */
  char           *text;
} CreateData;

static void
create_data_free (CreateData *data)
{
  g_free (data->text);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CreateData, create_data_free)

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CreateData) data = user_data;
  g_autoptr(EpsimoThread) thread = NULL;
  g_autoptr(GError) error = NULL;
  EpsimoChatConversation *conversation;
  EpsimoChatPage *self;

  thread = epsimo_threads_service_create_finish (EPSIMO_THREADS_SERVICE (source), result, &error);
  if (is_cancelled (error))
    return;

  self = data->self;
  self->creating = FALSE;
  if (thread == NULL)
    {
      show_failure (self, FAILURE_SEND, _("The thread was not created."), error);
      /* A refused thread often means the account ran out: show it. */
      epsimo_session_refresh_balance (self->session);
      update_ui (self);
      return;
    }

  if (epsimo_thread_get_updated_at (thread) == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      epsimo_thread_set_updated_at (thread, now);
    }
  if (epsimo_thread_get_assistant_id (thread) == NULL && self->draft_assistant != NULL)
    epsimo_thread_set_assistant_id (thread, epsimo_assistant_get_id (self->draft_assistant));

  self->drafting = FALSE;
  g_clear_object (&self->draft_assistant);
  g_clear_pointer (&self->draft_name, g_free);

  g_list_store_insert (self->threads, 0, thread);
  self->threads_loaded = TRUE;
  update_threads_stack (self);

  conversation = ensure_conversation (self, thread, TRUE);
  /* The composer keeps the text until the run has started. */
  epsimo_chat_conversation_set_draft (conversation, data->text);
  select_thread_object (self, thread);
  epsimo_chat_conversation_send (conversation, data->text);
  epsimo_session_refresh_balance (self->session);
}

static void
create_thread (EpsimoChatPage *self,
               const char     *text)
{
  g_autoptr(EpsimoThread) thread = NULL;
  g_autofree char *name = NULL;
  CreateData *data;

  if (self->draft_assistant == NULL || self->creating)
    return;

  name = self->draft_name != NULL && *self->draft_name != '\0'
         ? g_strdup (self->draft_name) : name_from_text (text);
  thread = epsimo_thread_new (name, epsimo_assistant_get_id (self->draft_assistant));

  self->creating = TRUE;
  hide_failure (self);
  update_ui (self);

  data = g_new0 (CreateData, 1);
  data->self = self;
  data->text = g_strdup (text);
  epsimo_threads_service_create_async (epsimo_session_get_threads (self->session),
                                       project_id (self), thread, self->cancellable,
                                       create_cb, data);
}

static void
start_draft (EpsimoChatPage  *self,
             EpsimoAssistant *assistant,
             const char      *name)
{
  set_current (self, NULL);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);

  self->drafting = TRUE;
  g_set_object (&self->draft_assistant, assistant);
  g_free (self->draft_name);
  self->draft_name = g_strstrip (g_strdup (name != NULL ? name : ""));

  update_ui (self);
  show_conversation_pane (self);
  epsimo_transcript_view_prepare_rows (self->transcript);
  epsimo_composer_focus (self->composer);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THREAD]);
}

static void
on_new_thread_response (AdwMessageDialog *dialog,
                        const char       *response,
                        EpsimoChatPage   *self)
{
  GtkDropDown *drop_down = g_object_get_data (G_OBJECT (dialog), "assistant");
  GtkEditable *name_entry = g_object_get_data (G_OBJECT (dialog), "name");
  guint selected;

  if (g_strcmp0 (response, "start") != 0)
    return;

  selected = gtk_drop_down_get_selected (drop_down);
  if (selected >= self->assistant_list->len)
    return;

  start_draft (self, g_ptr_array_index (self->assistant_list, selected),
               gtk_editable_get_text (name_entry));
}

static void
on_no_assistants_response (AdwMessageDialog *dialog,
                           const char       *response,
                           EpsimoChatPage   *self)
{
  if (g_strcmp0 (response, "assistants") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-section", "s", "assistants");
}

static void
new_thread_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  EpsimoChatPage *self = EPSIMO_CHAT_PAGE (widget);
  AdwMessageDialog *dialog;
  g_autoptr(GtkStringList) names = NULL;
  GtkWidget *box;
  GtkWidget *drop_down;
  GtkWidget *entry;
  guint preferred = 0;

  if (self->session == NULL || self->project == NULL)
    return;

  if (self->assistant_list->len == 0)
    {
      /* Asked before the assistants came: the dialog opens when they do. */
      if (self->loading_assistants)
        {
          self->new_thread_pending = TRUE;
          return;
        }
      load_assistants (self);
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self),
                                                           _("No Assistants"),
                                                           _("A thread is a conversation with "
                                                             "an assistant, and this project "
                                                             "has none yet.")));
      adw_message_dialog_add_responses (dialog,
                                        "close", _("_Close"),
                                        "assistants", _("_Open Assistants"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "assistants",
                                                  ADW_RESPONSE_SUGGESTED);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_no_assistants_response),
                               self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  names = gtk_string_list_new (NULL);
  for (guint i = 0; i < self->assistant_list->len; i++)
    {
      EpsimoAssistant *assistant = g_ptr_array_index (self->assistant_list, i);

      gtk_string_list_append (names, epsimo_assistant_get_name (assistant));
      /* The assistant of the thread shown, as the likely choice. */
      if (self->current != NULL
          && g_strcmp0 (epsimo_assistant_get_id (assistant),
                        epsimo_thread_get_assistant_id (
                          epsimo_chat_conversation_get_thread (self->current))) == 0)
        preferred = i;
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down), preferred);
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Assistant"), -1);
  epsimo_tooltip_set_text (drop_down, _("Assistant"));
  gtk_box_append (GTK_BOX (box), drop_down);

  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name (optional)"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Thread Name"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Left empty, the first message names the thread"), -1);
  gtk_box_append (GTK_BOX (box), entry);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self), _("New Thread"),
                                                       _("Choose the assistant to talk to. "
                                                         "The thread starts with your first "
                                                         "message.")));
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "start", _("_Start"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "start", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "start");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "assistant", drop_down);
  g_object_set_data (G_OBJECT (dialog), "name", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_new_thread_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* Deleting */

typedef struct
{
  EpsimoChatPage *self;   /* not a reference: the call is cancelled in dispose */
  char           *thread_id;
} DeleteData;

static void
delete_data_free (DeleteData *data)
{
  g_free (data->thread_id);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DeleteData, delete_data_free)

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DeleteData) data = user_data;
  g_autoptr(GError) error = NULL;
  EpsimoChatConversation *conversation;
  EpsimoChatPage *self;
  EpsimoThread *thread;
  guint position;

  if (!epsimo_threads_service_delete_finish (EPSIMO_THREADS_SERVICE (source), result, &error))
    {
      g_autofree char *message = NULL;

      if (is_cancelled (error))
        return;
      message = describe_error (data->self, _("The thread was not deleted."), error);
      toast (data->self, message);
      return;
    }

  self = data->self;
  thread = find_thread (self, data->thread_id, &position);
  if (thread == NULL)
    return;

  g_object_ref (thread);
  conversation = g_hash_table_lookup (self->conversations, data->thread_id);
  if (conversation != NULL && conversation == self->current)
    {
      set_current (self, NULL);
      show_threads_pane (self);
    }
  if (conversation != NULL)
    {
      epsimo_chat_conversation_close (conversation);
      g_hash_table_remove (self->conversations, data->thread_id);
    }
  set_unread (self, thread, FALSE);
  g_list_store_remove (self->threads, position);
  g_object_unref (thread);

  update_threads_stack (self);
  toast (self, _("Thread deleted"));
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    EpsimoChatPage   *self)
{
  const char *thread_id = g_object_get_data (G_OBJECT (dialog), "thread-id");
  DeleteData *data;

  if (g_strcmp0 (response, "delete") != 0 || self->session == NULL || self->project == NULL)
    return;

  data = g_new0 (DeleteData, 1);
  data->self = self;
  data->thread_id = g_strdup (thread_id);
  epsimo_threads_service_delete_async (epsimo_session_get_threads (self->session),
                                       project_id (self), thread_id, self->cancellable,
                                       delete_cb, data);
}

static void
delete_thread_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  EpsimoChatPage *self = EPSIMO_CHAT_PAGE (widget);
  const char *thread_id = g_variant_get_string (parameter, NULL);
  EpsimoThread *thread = find_thread (self, thread_id, NULL);
  AdwMessageDialog *dialog;

  if (thread == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self),
                                                       _("Delete Thread?"), NULL));
  /* Translators: %s is the thread's name */
  adw_message_dialog_format_body (dialog, _("“%s” and all its messages will be deleted. "
                                            "This cannot be undone."), thread_title (thread));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "thread-id", g_strdup (thread_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Composer and conversation actions */

static void
on_composer_send (EpsimoChatPage *self)
{
  g_autofree char *text = epsimo_composer_dup_text (self->composer);

  if (self->drafting && self->current == NULL)
    create_thread (self, text);
  else if (self->current != NULL)
    {
      hide_failure (self);
      epsimo_chat_conversation_send (self->current, text);
    }
  update_ui (self);
}

static void
on_composer_empty_changed (EpsimoChatPage *self)
{
  update_actions (self);
}

static void
on_banner_retry (EpsimoChatPage *self)
{
  Failure failure = self->failure;

  hide_failure (self);
  switch (failure)
    {
    case FAILURE_SEND:
      if (epsimo_composer_get_sendable (self->composer))
        on_composer_send (self);
      break;

    case FAILURE_RETRY:
      if (self->current != NULL)
        epsimo_chat_conversation_retry (self->current);
      break;

    case FAILURE_LOAD:
      if (self->current != NULL)
        {
          if (epsimo_chat_conversation_get_loaded (self->current))
            epsimo_chat_conversation_retry_older (self->current);
          else
            epsimo_chat_conversation_load (self->current);
        }
      break;

    case FAILURE_NONE:
    default:
      break;
    }
  update_ui (self);
}

static void
stop_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  EpsimoChatPage *self = EPSIMO_CHAT_PAGE (widget);

  if (self->current != NULL)
    epsimo_chat_conversation_stop (self->current);
}

static void
retry_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  EpsimoChatPage *self = EPSIMO_CHAT_PAGE (widget);

  if (self->current == NULL)
    return;

  hide_failure (self);
  epsimo_transcript_view_jump_to_latest (self->transcript);
  epsimo_chat_conversation_retry (self->current);
}

static void
jump_to_latest_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  epsimo_transcript_view_jump_to_latest (EPSIMO_CHAT_PAGE (widget)->transcript);
}

static void
add_note_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  EpsimoChatPage *self = EPSIMO_CHAT_PAGE (widget);
  g_autofree char *text = epsimo_composer_dup_text (self->composer);

  if (self->current == NULL || epsimo_composer_get_empty (self->composer))
    return;

  hide_failure (self);
  epsimo_chat_conversation_add_note (self->current, text);
}

static void
on_load_older (EpsimoChatPage *self)
{
  if (self->current != NULL)
    epsimo_chat_conversation_load_older (self->current);
}

/* Layout */

static void
on_folded_changed (EpsimoChatPage *self)
{
  gtk_widget_set_visible (self->back_button, adw_leaflet_get_folded (self->leaflet));
  /* A thread open (or being started): folding shows it, not the list. */
  if (adw_leaflet_get_folded (self->leaflet) && (self->current != NULL || self->drafting))
    show_conversation_pane (self);
}

static void
on_back_clicked (EpsimoChatPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->threads_pane);
}

/* Balance */

static void
on_balance_notify (EpsimoChatPage *self)
{
  update_ui (self);
}

static void
on_session_balance_changed (EpsimoChatPage *self)
{
  EpsimoBalance *balance = self->session != NULL ? epsimo_session_get_balance (self->session)
                                                 : NULL;

  if (self->balance != balance)
    {
      if (self->balance != NULL)
        g_clear_signal_handler (&self->balance_notify_id, self->balance);
      g_set_object (&self->balance, balance);
      if (balance != NULL)
        self->balance_notify_id = g_signal_connect_swapped (balance, "notify",
                                                            G_CALLBACK (on_balance_notify), self);
    }
  update_ui (self);
}

/* Benchmarks: build-aux/bench sets EPSIMO_BENCH_FILE and reads from it the monotonic time
 * (µs) of the first frame painted with the reopened project's threads and, when a thread
 * was reopened, its history on screen ("ready <µs>"). Nothing of it runs without the
 * variable; it writes once per process. */

static gboolean bench_written;

static void
bench_on_after_paint (GdkFrameClock  *clock,
                      EpsimoChatPage *self)
{
  g_autofree char *line = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;

  /* What this frame painted was in place before it was laid out. */
  if (!self->threads_loaded
      || (self->current != NULL && !epsimo_chat_conversation_get_loaded (self->current)))
    return;

  line = g_strdup_printf ("ready %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  g_clear_signal_handler (&self->bench_paint_id, self->bench_clock);
  self->bench_clock = NULL;
  bench_written = TRUE;

  file = g_file_new_for_path (g_getenv ("EPSIMO_BENCH_FILE"));
  out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, NULL);
  if (out != NULL)
    g_output_stream_write_all (G_OUTPUT_STREAM (out), line, strlen (line), NULL, NULL, NULL);
}

static void
bench_on_map (EpsimoChatPage *self)
{
  if (bench_written || self->bench_paint_id != 0)
    return;

  self->bench_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  self->bench_paint_id = g_signal_connect (self->bench_clock, "after-paint",
                                           G_CALLBACK (bench_on_after_paint), self);
}

static void
bench_on_unmap (EpsimoChatPage *self)
{
  if (self->bench_clock != NULL)
    g_clear_signal_handler (&self->bench_paint_id, self->bench_clock);
  self->bench_clock = NULL;
}

/* GObject */

static void
epsimo_chat_page_root (GtkWidget *widget)
{
  EpsimoChatPage *self = EPSIMO_CHAT_PAGE (widget);
  GtkWindow *window;

  GTK_WIDGET_CLASS (epsimo_chat_page_parent_class)->root (widget);

  ensure_css (gtk_widget_get_display (widget));
  window = get_window (self);
  if (window != NULL)
    {
      self->window = window;
      self->active_id = g_signal_connect_swapped (window, "notify::is-active",
                                                  G_CALLBACK (on_window_active_changed), self);
    }
}

static void
epsimo_chat_page_unroot (GtkWidget *widget)
{
  EpsimoChatPage *self = EPSIMO_CHAT_PAGE (widget);

  if (self->window != NULL)
    {
      g_clear_signal_handler (&self->active_id, self->window);
      self->window = NULL;
    }

  GTK_WIDGET_CLASS (epsimo_chat_page_parent_class)->unroot (widget);
}

static void
epsimo_chat_page_dispose (GObject *object)
{
  EpsimoChatPage *self = (EpsimoChatPage *)object;
  GHashTableIter iter;
  gpointer value;

  g_cancellable_cancel (self->cancellable);
  if (self->current != NULL)
    g_clear_signal_handler (&self->items_changed_id,
                            epsimo_chat_conversation_get_items (self->current));
  self->current = NULL;
  if (self->conversations != NULL)
    {
      g_hash_table_iter_init (&iter, self->conversations);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        epsimo_chat_conversation_close (value);
      g_hash_table_remove_all (self->conversations);
    }
  if (self->session != NULL)
    g_clear_signal_handler (&self->balance_id, self->session);
  if (self->balance != NULL)
    g_clear_signal_handler (&self->balance_notify_id, self->balance);
  g_clear_object (&self->balance);
  g_clear_object (&self->session);
  g_clear_object (&self->project);
  g_clear_object (&self->draft_assistant);

  if (self->grow_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->threads_view), self->grow_tick_id);
  self->grow_tick_id = 0;

  /* The leaflet is both a template child and the bin's child: let the bin drop it first,
   * or the bin would unparent it again once the template has. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_CHAT_PAGE);

  g_clear_object (&self->selection);
  g_clear_object (&self->shown);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->sorter);
  g_clear_object (&self->threads);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (epsimo_chat_page_parent_class)->dispose (object);
}

static void
epsimo_chat_page_finalize (GObject *object)
{
  EpsimoChatPage *self = (EpsimoChatPage *)object;

  g_hash_table_unref (self->bound_rows);
  g_hash_table_unref (self->assistants);
  g_ptr_array_unref (self->assistant_list);
  g_hash_table_unref (self->conversations);
  g_hash_table_unref (self->unread);
  g_free (self->pending_select);
  g_free (self->draft_name);

  G_OBJECT_CLASS (epsimo_chat_page_parent_class)->finalize (object);
}

static void
epsimo_chat_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  EpsimoChatPage *self = EPSIMO_CHAT_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_THREAD:
      g_value_set_object (value, epsimo_chat_page_get_thread (self));
      break;

    case PROP_SIDE_PANEL_VISIBLE:
      g_value_set_boolean (value, self->side_panel_visible);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_chat_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  EpsimoChatPage *self = EPSIMO_CHAT_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      epsimo_chat_page_set_session (self, g_value_get_object (value));
      break;

    case PROP_PROJECT:
      epsimo_chat_page_set_project (self, g_value_get_object (value));
      break;

    case PROP_SIDE_PANEL_VISIBLE:
      epsimo_chat_page_set_side_panel_visible (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_chat_page_class_init (EpsimoChatPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = epsimo_chat_page_dispose;
  object_class->finalize = epsimo_chat_page_finalize;
  object_class->get_property = epsimo_chat_page_get_property;
  object_class->set_property = epsimo_chat_page_set_property;
  widget_class->root = epsimo_chat_page_root;
  widget_class->unroot = epsimo_chat_page_unroot;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, EPSIMO_TYPE_SESSION, rw);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, EPSIMO_TYPE_PROJECT, rw);
  properties[PROP_THREAD] =
    g_param_spec_object ("thread", NULL, NULL, EPSIMO_TYPE_THREAD,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIDE_PANEL_VISIBLE] =
    g_param_spec_boolean ("side-panel-visible", NULL, NULL, FALSE, rw);
  /**
   * EpsimoChatPage:loading:
   *
   * Whether what the page shows is still on its way: the project's threads or
   * assistants, or the open thread's history (not a reply being written).
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, JSON_TYPE_OBJECT, G_TYPE_STRING);

  /**
   * EpsimoChatPage::files-dropped:
   * @files: a #GListModel of #GFile
   * @assistant_id: the assistant of the open thread, whose files they become
   *
   * Files were dropped on the composer: the window uploads them for that assistant.
   */
  signals[FILES_DROPPED] =
    g_signal_new ("files-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_LIST_MODEL, G_TYPE_STRING);

  g_type_ensure (EPSIMO_TYPE_ERROR_BANNER);
  g_type_ensure (EPSIMO_TYPE_TRANSCRIPT_VIEW);
  g_type_ensure (EPSIMO_TYPE_COMPOSER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/chat/"
                                               "epsimo-chat-page.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, threads_pane);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, threads_banner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, threads_stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, threads_view);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, threads_spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, conversation_pane);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, conversation_title);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, banner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, conversation_stack);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, transcript);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, conversation_spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, side_revealer);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, side_bin);
  gtk_widget_class_bind_template_child (widget_class, EpsimoChatPage, composer);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_threads_retry);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_retry);
  gtk_widget_class_bind_template_callback (widget_class, on_load_older);
  gtk_widget_class_bind_template_callback (widget_class, on_composer_send);
  gtk_widget_class_bind_template_callback (widget_class, on_composer_empty_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);

  gtk_widget_class_install_action (widget_class, "chat.new-thread", NULL, new_thread_activated);
  gtk_widget_class_install_action (widget_class, "chat.stop", NULL, stop_activated);
  gtk_widget_class_install_action (widget_class, "chat.jump-to-latest", NULL,
                                   jump_to_latest_activated);
  gtk_widget_class_install_action (widget_class, "chat.retry", NULL, retry_activated);
  gtk_widget_class_install_action (widget_class, "chat.add-note", NULL, add_note_activated);
  gtk_widget_class_install_action (widget_class, "chat.delete-thread", "s",
                                   delete_thread_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "chat.stop", NULL);
}

/* Files dropped on the composer are attached to the open thread's assistant (uploaded as its
 * retrieval files): the page only says which assistant; the window does the upload. */
static gboolean
on_composer_drop (GtkDropTarget  *target,
                  const GValue   *value,
                  double          x,
                  double          y,
                  EpsimoChatPage *self)
{
  EpsimoThread *thread = epsimo_chat_page_get_thread (self);
  const char *assistant_id = thread != NULL ? epsimo_thread_get_assistant_id (thread) : NULL;
  g_autoptr(GListStore) files = NULL;
  GSList *dropped;

  if (assistant_id == NULL || *assistant_id == '\0')
    {
      toast (self, _("Open a thread first: dropped files go to its assistant."));
      return FALSE;
    }

  files = g_list_store_new (G_TYPE_FILE);
  dropped = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *l = dropped; l != NULL; l = l->next)
    g_list_store_append (files, l->data);
  g_slist_free (dropped);
  if (g_list_model_get_n_items (G_LIST_MODEL (files)) == 0)
    return FALSE;

  g_signal_emit (self, signals[FILES_DROPPED], 0, files, assistant_id);
  return TRUE;
}

static void
epsimo_chat_page_init (EpsimoChatPage *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkSortListModel *sorted;
  GtkFilterListModel *filtered;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Given here rather than in the template: see epsimo_tooltip_set_text(). */
  epsimo_tooltip_set_text (self->new_button, _("New Thread (Ctrl+N)"));
  epsimo_tooltip_set_text (self->back_button, _("Back to Threads"));
  epsimo_section_shortcut_add (GTK_WIDGET (self), "<Control>n", "chat.new-thread");

  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (on_composer_drop), self);
    gtk_widget_add_controller (GTK_WIDGET (self->composer), GTK_EVENT_CONTROLLER (drop));
  }

  self->cancellable = g_cancellable_new ();
  self->bound_rows = g_hash_table_new (NULL, NULL);
  self->assistants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->assistant_list = g_ptr_array_new_with_free_func (g_object_unref);
  self->conversations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               g_object_unref);
  self->unread = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Threads: newest activity first, filtered by name. */
  self->threads = g_list_store_new (EPSIMO_TYPE_THREAD);
  self->sorter = GTK_SORTER (gtk_custom_sorter_new (compare_threads, NULL, NULL));
  self->filter = gtk_string_filter_new (gtk_property_expression_new (EPSIMO_TYPE_THREAD, NULL,
                                                                     "name"));
  gtk_string_filter_set_ignore_case (self->filter, TRUE);
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->threads)),
                                    g_object_ref (self->sorter));
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (sorted),
                                        g_object_ref (GTK_FILTER (self->filter)));
  self->filtered = g_object_ref (G_LIST_MODEL (filtered));
  self->shown = gtk_slice_list_model_new (G_LIST_MODEL (filtered), 0, G_MAXUINT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->shown)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selected_thread_changed), self);
  g_signal_connect_swapped (self->filtered, "items-changed",
                            G_CALLBACK (on_filtered_changed), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_thread_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_thread_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_thread_row), self);
  gtk_list_view_set_factory (self->threads_view, factory);
  gtk_list_view_set_model (self->threads_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->threads_view, "activate",
                            G_CALLBACK (on_thread_activated), self);
  epsimo_list_click_activates_selected (self->threads_view);

  update_threads_stack (self);
  update_ui (self);

  if (g_getenv ("EPSIMO_BENCH_FILE") != NULL)
    {
      g_signal_connect_swapped (self, "map", G_CALLBACK (bench_on_map), self);
      g_signal_connect_swapped (self, "unmap", G_CALLBACK (bench_on_unmap), self);
    }
}

GtkWidget *
epsimo_chat_page_new (void)
{
  return g_object_new (EPSIMO_TYPE_CHAT_PAGE, NULL);
}

EpsimoSession *
epsimo_chat_page_get_session (EpsimoChatPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_PAGE (self), NULL);

  return self->session;
}

void
epsimo_chat_page_set_session (EpsimoChatPage *self,
                              EpsimoSession  *session)
{
  g_return_if_fail (EPSIMO_IS_CHAT_PAGE (self));
  g_return_if_fail (session == NULL || EPSIMO_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    g_clear_signal_handler (&self->balance_id, self->session);
  g_set_object (&self->session, session);
  if (session != NULL)
    self->balance_id = g_signal_connect_swapped (session, "notify::balance",
                                                 G_CALLBACK (on_session_balance_changed), self);
  on_session_balance_changed (self);

  reset (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

EpsimoProject *
epsimo_chat_page_get_project (EpsimoChatPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_PAGE (self), NULL);

  return self->project;
}

void
epsimo_chat_page_set_project (EpsimoChatPage *self,
                              EpsimoProject  *project)
{
  g_return_if_fail (EPSIMO_IS_CHAT_PAGE (self));
  g_return_if_fail (project == NULL || EPSIMO_IS_PROJECT (project));

  if (self->project == project)
    return;

  g_set_object (&self->project, project);
  reset (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

void
epsimo_chat_page_prepare_rows (EpsimoChatPage *self)
{
  g_return_if_fail (EPSIMO_IS_CHAT_PAGE (self));

  epsimo_transcript_view_prepare_rows (self->transcript);
}

gboolean
epsimo_chat_page_get_loading (EpsimoChatPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_PAGE (self), FALSE);

  return self->loading;
}

EpsimoThread *
epsimo_chat_page_get_thread (EpsimoChatPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_PAGE (self), NULL);

  return self->current != NULL ? epsimo_chat_conversation_get_thread (self->current) : NULL;
}

void
epsimo_chat_page_select_thread (EpsimoChatPage *self,
                                const char     *thread_id)
{
  EpsimoThread *thread;

  g_return_if_fail (EPSIMO_IS_CHAT_PAGE (self));
  g_return_if_fail (thread_id != NULL);

  if (!self->threads_loaded)
    {
      g_free (self->pending_select);
      self->pending_select = g_strdup (thread_id);
      return;
    }

  thread = find_thread (self, thread_id, NULL);
  if (thread != NULL)
    {
      select_thread_object (self, thread);
      return;
    }

  /* A thread made since the list was loaded (elsewhere, or by a run in the background):
   * load the list again and select it then. */
  g_free (self->pending_select);
  self->pending_select = g_strdup (thread_id);
  load_threads (self);
}

void
epsimo_chat_page_set_side_panel (EpsimoChatPage *self,
                                 GtkWidget      *panel)
{
  g_return_if_fail (EPSIMO_IS_CHAT_PAGE (self));
  g_return_if_fail (panel == NULL || GTK_IS_WIDGET (panel));

  adw_bin_set_child (self->side_bin, panel);
}

gboolean
epsimo_chat_page_get_side_panel_visible (EpsimoChatPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_PAGE (self), FALSE);

  return self->side_panel_visible;
}

void
epsimo_chat_page_set_side_panel_visible (EpsimoChatPage *self,
                                         gboolean        visible)
{
  g_return_if_fail (EPSIMO_IS_CHAT_PAGE (self));

  visible = !!visible;
  if (self->side_panel_visible == visible)
    return;

  self->side_panel_visible = visible;
  gtk_widget_set_visible (GTK_WIDGET (self->side_revealer), visible);
  gtk_revealer_set_reveal_child (self->side_revealer, visible);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDE_PANEL_VISIBLE]);
}

/* For tests */

EpsimoChatConversation *
epsimo_chat_page_get_conversation (EpsimoChatPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_PAGE (self), NULL);

  return self->current;
}

EpsimoComposer *
epsimo_chat_page_get_composer (EpsimoChatPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_PAGE (self), NULL);

  return self->composer;
}

EpsimoTranscriptView *
epsimo_chat_page_get_transcript (EpsimoChatPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_PAGE (self), NULL);

  return self->transcript;
}

GtkWidget *
epsimo_chat_page_get_banner (EpsimoChatPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_PAGE (self), NULL);

  return GTK_WIDGET (self->banner);
}

GtkWidget *
epsimo_chat_page_get_threads_view (EpsimoChatPage *self)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_PAGE (self), NULL);

  return GTK_WIDGET (self->threads_view);
}

gboolean
epsimo_chat_page_get_unread (EpsimoChatPage *self,
                             const char     *thread_id)
{
  g_return_val_if_fail (EPSIMO_IS_CHAT_PAGE (self), FALSE);

  return g_hash_table_contains (self->unread, thread_id);
}
