/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-message-row"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "widgets/epsimo-markdown-view.h"
#include "widgets/epsimo-tooltip.h"

#include "epsimo-message-row.h"
#include "epsimo-tool-card.h"

/* A message of more blocks than this shows its first COLLAPSED_BLOCKS behind "Show More". */
#define COLLAPSE_BLOCKS  12
#define COLLAPSED_BLOCKS 8

struct _EpsimoMessageRow
{
  AdwBin              parent_instance;

  EpsimoChatItem     *item;
  gulong              placeholder_id;
  guint               remeasure_id;
  int                 remeasured_for;  /* the content height last asked again for */
  gboolean            built;      /* the template was instantiated */
  gboolean            realized;   /* the item is shown, not an empty box */
  gboolean            placed;     /* allocated since the item was bound */
  int                 unshown_height;
  GListModel         *tool_calls;
  gulong              item_notify_id;
  gulong              content_notify_id;
  gulong              tools_changed_id;
  GPtrArray          *cards;

  GtkWidget          *bubble;
  GtkLabel           *author_label;
  GtkLabel           *time_label;
  GtkWidget          *copy_button;
  GtkWidget          *tools_box;
  EpsimoMarkdownView *content_view;
  GtkWidget          *typing_box;
  GtkSpinner         *typing_spinner;
  GtkWidget          *more_button;
  GtkWidget          *status_box;
  GtkImage           *status_icon;
  GtkLabel           *status_label;
  GtkWidget          *retry_button;
};

G_DEFINE_FINAL_TYPE (EpsimoMessageRow, epsimo_message_row, ADW_TYPE_BIN)

static const char *const kind_classes[] = { "user", "assistant", "tool", "note" };

static char *
format_time (GDateTime *timestamp)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (timestamp == NULL)
    return NULL;

  local = g_date_time_to_local (timestamp);
  now = g_date_time_new_now_local ();
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: the time of a message sent today, see g_date_time_format() */
    return g_date_time_format (local, _("%H:%M"));

  /* Translators: the date and time of an older message, see g_date_time_format() */
  return g_date_time_format (local, _("%e %b %Y, %H:%M"));
}

static void
sync_tool_calls (EpsimoMessageRow *self)
{
  guint n = self->tool_calls != NULL ? g_list_model_get_n_items (self->tool_calls) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(EpsimoToolCall) call = g_list_model_get_item (self->tool_calls, i);
      GtkWidget *card;

      if (i >= self->cards->len)
        {
          card = epsimo_tool_card_new ();
          gtk_box_append (GTK_BOX (self->tools_box), card);
          g_ptr_array_add (self->cards, card);
        }
      card = g_ptr_array_index (self->cards, i);
      epsimo_tool_card_set_call (EPSIMO_TOOL_CARD (card), call);
      gtk_widget_set_visible (card, TRUE);
    }

  /* Spare cards stay for the next item that has more calls. */
  for (guint i = n; i < self->cards->len; i++)
    {
      GtkWidget *card = g_ptr_array_index (self->cards, i);

      epsimo_tool_card_set_call (EPSIMO_TOOL_CARD (card), NULL);
      gtk_widget_set_visible (card, FALSE);
    }
  gtk_widget_set_visible (self->tools_box, n > 0);
}

/* @renderer: the one the view shows, or is about to show. */
static void
update_collapse (EpsimoMessageRow       *self,
                 EpsimoMarkdownRenderer *renderer)
{
  guint n = renderer != NULL ? epsimo_markdown_renderer_get_n_blocks (renderer) : 0;
  gboolean whole = (epsimo_chat_item_get_live (self->item)
                    || epsimo_chat_item_get_expanded (self->item));

  epsimo_markdown_view_set_collapse_code (self->content_view, !whole);
  epsimo_markdown_view_set_max_blocks (self->content_view,
                                       !whole && n > COLLAPSE_BLOCKS ? COLLAPSED_BLOCKS : 0);
}

static void
update_state (EpsimoMessageRow *self)
{
  EpsimoChatItemState state = epsimo_chat_item_get_state (self->item);
  gboolean streaming = state == EPSIMO_CHAT_ITEM_STREAMING;
  guint n_calls = self->tool_calls != NULL ? g_list_model_get_n_items (self->tool_calls) : 0;
  gboolean waiting = streaming && *epsimo_chat_item_get_text (self->item) == '\0' && n_calls == 0;
  const char *error = epsimo_chat_item_get_error_message (self->item);

  gtk_widget_set_visible (self->typing_box, waiting);
  gtk_spinner_set_spinning (self->typing_spinner, waiting);

  if (state == EPSIMO_CHAT_ITEM_SENDING)
    gtk_widget_add_css_class (self->bubble, "sending");
  else
    gtk_widget_remove_css_class (self->bubble, "sending");

  gtk_widget_set_visible (self->copy_button, !streaming && state != EPSIMO_CHAT_ITEM_SENDING);

  switch (state)
    {
    case EPSIMO_CHAT_ITEM_STOPPED:
      gtk_image_set_from_icon_name (self->status_icon, "media-playback-stop-symbolic");
      gtk_label_set_text (self->status_label, _("You stopped this reply."));
      gtk_widget_remove_css_class (self->status_box, "error");
      gtk_widget_set_visible (self->status_box, TRUE);
      break;

    case EPSIMO_CHAT_ITEM_INCOMPLETE:
      {
        g_autofree char *text = NULL;

        if (error != NULL)
          /* Translators: %s says why, e.g. "The connection was lost." */
          text = g_strdup_printf (_("This reply is incomplete. %s"), error);
        else
          text = g_strdup (_("This reply is incomplete."));
        gtk_image_set_from_icon_name (self->status_icon, "dialog-warning-symbolic");
        gtk_label_set_text (self->status_label, text);
        gtk_widget_add_css_class (self->status_box, "error");
        gtk_widget_set_visible (self->status_box, TRUE);
      }
      break;

    case EPSIMO_CHAT_ITEM_COMPLETE:
    case EPSIMO_CHAT_ITEM_SENDING:
    case EPSIMO_CHAT_ITEM_STREAMING:
    default:
      gtk_widget_set_visible (self->status_box, FALSE);
      break;
    }

  if (state == EPSIMO_CHAT_ITEM_INCOMPLETE)
    gtk_widget_add_css_class (self->bubble, "incomplete");
  else
    gtk_widget_remove_css_class (self->bubble, "incomplete");

  gtk_widget_set_visible (self->retry_button, epsimo_chat_item_get_retryable (self->item));
}

static const char *
author_for (EpsimoChatItem *item)
{
  EpsimoMessage *message = epsimo_chat_item_get_message (item);
  const char *author = epsimo_chat_item_get_author (item);

  switch (epsimo_chat_item_get_kind (item))
    {
    case EPSIMO_CHAT_ITEM_ASSISTANT:
      return author != NULL && *author != '\0' ? author : _("Assistant");
    case EPSIMO_CHAT_ITEM_TOOL:
      return epsimo_message_get_name (message) != NULL ? epsimo_message_get_name (message)
                                                         : _("Tool");
    case EPSIMO_CHAT_ITEM_NOTE:
      return _("Note");
    case EPSIMO_CHAT_ITEM_USER:
    default:
      return _("You");
    }
}

static void
on_item_notify (EpsimoMessageRow *self,
                GParamSpec       *pspec)
{
  if (g_strcmp0 (pspec->name, "expanded") == 0)
    update_collapse (self, epsimo_markdown_view_get_renderer (self->content_view));
  else if (g_strcmp0 (pspec->name, "author") == 0)
    gtk_label_set_text (self->author_label, author_for (self->item));
  else
    update_state (self);
}

/* Only the "Thinking…" placeholder depends on the text; it goes with the first delta. */
static void
on_content_notify (EpsimoMessageRow *self)
{
  if (gtk_widget_get_visible (self->typing_box))
    update_state (self);
}

static void
on_tool_calls_changed (EpsimoMessageRow *self)
{
  sync_tool_calls (self);
  update_state (self);
}

static void
on_truncated_changed (EpsimoMessageRow *self)
{
  gtk_widget_set_visible (self->more_button,
                          epsimo_markdown_view_get_truncated (self->content_view));
}

static void
on_more_clicked (EpsimoMessageRow *self)
{
  if (self->item != NULL)
    epsimo_chat_item_set_expanded (self->item, TRUE);
}

static void
on_copy_clicked (EpsimoMessageRow *self)
{
  if (self->item == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          epsimo_chat_item_get_text (self->item));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", _("Message copied"));
}

/* Shows the item no more (the row goes back to an empty box of the estimated size). */
static void
unrealize_item (EpsimoMessageRow *self)
{
  if (!self->realized)
    return;

  self->realized = FALSE;
  g_clear_signal_handler (&self->item_notify_id, self->item);
  g_clear_signal_handler (&self->content_notify_id, epsimo_chat_item_get_message (self->item));
  if (self->tool_calls != NULL)
    g_clear_signal_handler (&self->tools_changed_id, self->tool_calls);
  g_clear_object (&self->tool_calls);

  epsimo_markdown_view_set_renderer (self->content_view, NULL);
  for (guint i = 0; i < self->cards->len; i++)
    epsimo_tool_card_set_call (g_ptr_array_index (self->cards, i), NULL);
  gtk_spinner_set_spinning (self->typing_spinner, FALSE);
}

static void
unbind (EpsimoMessageRow *self)
{
  if (self->item == NULL)
    return;

  unrealize_item (self);
  g_clear_signal_handler (&self->placeholder_id, self->item);
  g_clear_object (&self->item);
}

static void
epsimo_message_row_dispose (GObject *object)
{
  EpsimoMessageRow *self = (EpsimoMessageRow *)object;

  unbind (self);
  g_clear_handle_id (&self->remeasure_id, g_source_remove);
  if (self->built)
    gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_MESSAGE_ROW);

  G_OBJECT_CLASS (epsimo_message_row_parent_class)->dispose (object);
}

static void
epsimo_message_row_finalize (GObject *object)
{
  EpsimoMessageRow *self = (EpsimoMessageRow *)object;

  g_clear_pointer (&self->cards, g_ptr_array_unref);

  G_OBJECT_CLASS (epsimo_message_row_parent_class)->finalize (object);
}

static GtkSizeRequestMode epsimo_message_row_get_request_mode (GtkWidget *widget);
static void epsimo_message_row_measure       (GtkWidget      *widget,
                                              GtkOrientation  orientation,
                                              int             for_size,
                                              int            *minimum,
                                              int            *natural,
                                              int            *minimum_baseline,
                                              int            *natural_baseline);
static void epsimo_message_row_size_allocate (GtkWidget      *widget,
                                              int             width,
                                              int             height,
                                              int             baseline);

static void
epsimo_message_row_class_init (EpsimoMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = epsimo_message_row_dispose;
  object_class->finalize = epsimo_message_row_finalize;
  widget_class->get_request_mode = epsimo_message_row_get_request_mode;
  widget_class->measure = epsimo_message_row_measure;
  widget_class->size_allocate = epsimo_message_row_size_allocate;

  g_type_ensure (EPSIMO_TYPE_MARKDOWN_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/chat/"
                                               "epsimo-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, bubble);
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, author_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, tools_box);
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, content_view);
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, typing_box);
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, typing_spinner);
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, more_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, status_box);
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, EpsimoMessageRow, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_more_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_truncated_changed);
}

static void
epsimo_message_row_init (EpsimoMessageRow *self)
{
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  self->unshown_height = 200;

  /* The template waits for the row's first item to be shown: GtkListView 4.8 keeps 200
   * rows whatever the window's height, and most only ever stand in for their size. */
}

static void
build (EpsimoMessageRow *self)
{
  if (self->built)
    return;

  self->built = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  epsimo_tooltip_set_text (self->copy_button, _("Copy Message"));
  self->cards = g_ptr_array_new ();
  gtk_widget_set_visible (self->more_button, FALSE);
  gtk_widget_set_visible (self->tools_box, FALSE);
  gtk_widget_set_visible (self->typing_box, FALSE);
  gtk_widget_set_visible (self->status_box, FALSE);
}

GtkWidget *
epsimo_message_row_new (void)
{
  return g_object_new (EPSIMO_TYPE_MESSAGE_ROW, NULL);
}

/* A guess of the height a message takes, from its text alone (without laying it out): a
 * bubble's frame and author line, paragraphs wrapped at the width, long code blocks
 * collapsed. The constants were fitted to rows measured with Adwaita's default fonts. */
#define GUESS_CHAR_WIDTH  2.9
#define GUESS_LINE_HEIGHT 20
#define GUESS_CODE_LINE   7
#define GUESS_FRAME       60
#define GUESS_BLOCK_GAP   5

int
epsimo_message_row_guess_height (EpsimoChatItem *item,
                                 int             width)
{
  const char *line = epsimo_chat_item_get_text (item);
  double per_line = MAX (20.0, (MIN (width, 860) - 52) / GUESS_CHAR_WIDTH);
  int height = GUESS_FRAME;
  gboolean in_code = FALSE;
  guint code_lines = 0;
  gsize paragraph = 0;

  g_return_val_if_fail (EPSIMO_IS_CHAT_ITEM (item), 0);

  while (line != NULL)
    {
      const char *end = strchr (line, '\n');
      gsize len = end != NULL ? (gsize) (end - line) : strlen (line);
      gboolean fence = len >= 3 && strncmp (line, "```", 3) == 0;

      if (in_code && !fence)
        code_lines++;
      else if (in_code)
        {
          in_code = FALSE;
          height += (int) MIN (code_lines, 20) * GUESS_CODE_LINE + 24 + GUESS_BLOCK_GAP;
        }
      else if (fence || len == 0 || end == NULL)
        {
          paragraph += len;
          if (paragraph > 0 && !fence)
            height += (int) ((paragraph / per_line) + 1) * GUESS_LINE_HEIGHT + GUESS_BLOCK_GAP;
          paragraph = 0;
          in_code = fence;
          code_lines = 0;
        }
      else
        paragraph += len + 1;

      line = end != NULL ? end + 1 : NULL;
    }
  return height;
}

/* The row lays its child out itself rather than through AdwBin's layout manager, to know
 * when the list has placed it. Its height depends on its width (wrapped text): unless it
 * says so, GTK takes a widget without a layout manager for one of constant size and
 * measures it at no width, which gave the height of its text at its natural width (fewer
 * lines) and cut off the end of long messages. */
static GtkSizeRequestMode
epsimo_message_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
epsimo_message_row_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  int width = gtk_widget_get_width (widget);

  /* The window measures the transcript's list on each of its layouts, and GtkScrolledWindow
   * asks the list for its height at no given width even though it does not use it: each
   * row was measured at the clamp's largest width, a layout of a wrapped reply's text that
   * nothing showed, done again whenever a streamed reply grew. A row that has a width
   * answers for that width, which its allocation measured already. */
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size < 0)
    for_size = width > 0 ? width : -1;

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
  else
    *minimum = *natural = 0;
}

static gboolean
remeasure_cb (gpointer user_data)
{
  EpsimoMessageRow *self = user_data;

  self->remeasure_id = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
epsimo_message_row_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  EpsimoMessageRow *self = EPSIMO_MESSAGE_ROW (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    {
      int minimum;

      gtk_widget_allocate (child, width, height, baseline, NULL);
      /* A resize asked while the list is being allocated can be lost in GTK 4.8: seen
       * under ASan's slowness, a streamed reply's row stayed a line shorter than its
       * content for good, its end hidden. The row asks again once this layout is over
       * (once per content height, so a list that cannot give more is not asked forever). */
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &minimum, NULL, NULL, NULL);
      if (minimum > height && minimum != self->remeasured_for && self->remeasure_id == 0)
        {
          self->remeasured_for = minimum;
          self->remeasure_id = g_idle_add (remeasure_cb, self);
        }
    }
  self->placed = self->item != NULL;
  if (self->realized)
    epsimo_chat_item_set_shown_size (self->item, width, height);
}

static void
on_placeholder_filled (EpsimoMessageRow *self)
{
  EpsimoChatItem *item = g_object_ref (self->item);

  /* Bound again: the row stands in for what the item is now. */
  epsimo_message_row_set_item (self, NULL);
  epsimo_message_row_set_item (self, item);
  g_object_unref (item);
}

void
epsimo_message_row_set_item (EpsimoMessageRow *self,
                             EpsimoChatItem   *item)
{
  int height;

  g_return_if_fail (EPSIMO_IS_MESSAGE_ROW (self));
  g_return_if_fail (item == NULL || EPSIMO_IS_CHAT_ITEM (item));

  if (self->item == item)
    return;

  unbind (self);
  self->placed = FALSE;
  if (item == NULL)
    return;

  self->item = g_object_ref (item);
  if (epsimo_chat_item_get_placeholder (item))
    self->placeholder_id = g_signal_connect_swapped (item, "notify::placeholder",
                                                     G_CALLBACK (on_placeholder_filled), self);

  /* Until it is realized, the row is an empty box: binding is then nearly free, however
   * far from the screen the row is. A row shown before takes the size it had, so that
   * showing it again moves nothing. */
  if (self->built)
    gtk_widget_set_visible (adw_bin_get_child (ADW_BIN (self)), FALSE);
  height = epsimo_chat_item_get_shown_height (item, gtk_widget_get_width (GTK_WIDGET (self)));
  gtk_widget_set_size_request (GTK_WIDGET (self), -1,
                               height > 0 ? height : self->unshown_height);
  /* Allocated again even at the same size: "placed" tells when. */
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

void
epsimo_message_row_set_unshown_height (EpsimoMessageRow *self,
                                       int               height)
{
  g_return_if_fail (EPSIMO_IS_MESSAGE_ROW (self));

  height = MAX (height, 1);
  if (self->unshown_height == height)
    return;

  self->unshown_height = height;
  if (self->item != NULL && !self->realized
      && epsimo_chat_item_get_shown_height (self->item,
                                            gtk_widget_get_width (GTK_WIDGET (self))) < 0)
    gtk_widget_set_size_request (GTK_WIDGET (self), -1, height);
}

gboolean
epsimo_message_row_get_placed (EpsimoMessageRow *self)
{
  g_return_val_if_fail (EPSIMO_IS_MESSAGE_ROW (self), FALSE);

  return self->placed;
}

gboolean
epsimo_message_row_get_realized (EpsimoMessageRow *self)
{
  g_return_val_if_fail (EPSIMO_IS_MESSAGE_ROW (self), FALSE);

  return self->realized;
}

gboolean
epsimo_message_row_realize (EpsimoMessageRow *self)
{
  EpsimoChatItem *item;
  EpsimoChatItemKind kind;
  g_autofree char *time_text = NULL;

  g_return_val_if_fail (EPSIMO_IS_MESSAGE_ROW (self), FALSE);

  item = self->item;
  if (self->realized || item == NULL || epsimo_chat_item_get_placeholder (item))
    return FALSE;

  build (self);
  self->realized = TRUE;
  kind = epsimo_chat_item_get_kind (item);

  for (guint i = 0; i < G_N_ELEMENTS (kind_classes); i++)
    if (i == kind)
      gtk_widget_add_css_class (self->bubble, kind_classes[i]);
    else
      gtk_widget_remove_css_class (self->bubble, kind_classes[i]);

  gtk_label_set_text (self->author_label, author_for (item));
  time_text = format_time (epsimo_message_get_timestamp (epsimo_chat_item_get_message (item)));
  gtk_label_set_text (self->time_label, time_text != NULL ? time_text : "");

  self->tool_calls = g_object_ref (epsimo_chat_item_get_tool_calls (item));
  self->tools_changed_id = g_signal_connect_swapped (self->tool_calls, "items-changed",
                                                     G_CALLBACK (on_tool_calls_changed), self);
  sync_tool_calls (self);

  /* The collapse settings first, so the blocks are built once, for what is shown. */
  update_collapse (self, epsimo_chat_item_get_renderer (item));
  epsimo_markdown_view_set_renderer (self->content_view, epsimo_chat_item_get_renderer (item));

  self->item_notify_id = g_signal_connect_swapped (item, "notify",
                                                   G_CALLBACK (on_item_notify), self);
  self->content_notify_id = g_signal_connect_swapped (epsimo_chat_item_get_message (item),
                                                      "notify::content",
                                                      G_CALLBACK (on_content_notify), self);
  update_state (self);

  gtk_widget_set_size_request (GTK_WIDGET (self), -1, -1);
  gtk_widget_set_visible (adw_bin_get_child (ADW_BIN (self)), TRUE);
  return TRUE;
}

EpsimoChatItem *
epsimo_message_row_get_item (EpsimoMessageRow *self)
{
  g_return_val_if_fail (EPSIMO_IS_MESSAGE_ROW (self), NULL);

  return self->item;
}
