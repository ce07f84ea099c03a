/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-transcript-view"

#include "config.h"

#include <glib/gi18n.h>

#include "epsimo-chat-item.h"
#include "epsimo-message-row.h"
#include "epsimo-transcript-view.h"
#include "widgets/epsimo-markdown-view.h"
#include "widgets/epsimo-tooltip.h"

struct _EpsimoTranscriptView
{
  AdwBin             parent_instance;

  GListModel        *model;
  gulong             items_changed_id;
  GdkFrameClock     *clock;
  gulong             layout_id;
  guint              idle_id;
  gboolean           pinned;
  gboolean           fallback_pending;
  gboolean           loading_older;
  gboolean           fit_checked;
  gboolean           older_wanted;
  GPtrArray         *rows;           /* the GtkListItems bound */
  int                unshown_height;  /* of every row not shown yet, fixed per model */
  gboolean           height_checked;  /* against the first rows shown */
  gint64             ahead_frame;    /* the frame that realized a row off screen */
  guint              ahead_idle_id;
  guint              prepare_id;
  GtkWidget         *prepare_window;     /* whose first frame the code part waits for */
  guint              prepare_tick_id;

  GtkScrolledWindow *scroller;
  GtkListView       *list_view;
  GtkRevealer       *jump_revealer;
  GtkWidget         *jump_button;
  GtkRevealer       *older_revealer;
  GtkSpinner        *older_spinner;
};

G_DEFINE_FINAL_TYPE (EpsimoTranscriptView, epsimo_transcript_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_PINNED,
  PROP_LOADING_OLDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LOAD_OLDER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
n_items (EpsimoTranscriptView *self)
{
  return self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
}

static void
update_jump_button (EpsimoTranscriptView *self)
{
  gtk_revealer_set_reveal_child (self->jump_revealer, !self->pinned && n_items (self) > 0);
}

/* Asking for older messages changes the model: never in the middle of a layout. */
static gboolean
emit_load_older_cb (gpointer user_data)
{
  EpsimoTranscriptView *self = user_data;

  self->idle_id = 0;
  g_signal_emit (self, signals[LOAD_OLDER], 0);
  return G_SOURCE_REMOVE;
}

static void request_layout (EpsimoTranscriptView *self);

/* How near the screen, in rows, placeholders make the next page be fetched. */
#define PREFETCH_ROWS 100
/* Rows realized ahead of the screen, on either side, and the time a frame may have spent
 * before one is. */
#define AHEAD_ROWS      2
#define AHEAD_BUDGET_US 4000

/* Asked for after the list has laid itself out at the top: items prepended then keep the
 * rows on screen where they are (the list anchors to a row it has placed). */
static void
queue_load_older (EpsimoTranscriptView *self)
{
  if (self->loading_older)
    return;

  self->older_wanted = TRUE;
  request_layout (self);
}

static void
request_layout (EpsimoTranscriptView *self)
{
  gtk_widget_queue_allocate (GTK_WIDGET (self->list_view));
  if (self->clock != NULL)
    gdk_frame_clock_request_phase (self->clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
}

static gboolean
next_frame_cb (gpointer user_data)
{
  EpsimoTranscriptView *self = user_data;

  self->ahead_idle_id = 0;
  request_layout (self);
  return G_SOURCE_REMOVE;
}

/* The guess of the unshown height is checked once against the first rows shown (before
 * the user scrolls: the list moves once, at the start), when the guess was made at another
 * width or was off. Returns whether rows changed size. */
static gboolean
check_unshown_height (EpsimoTranscriptView *self)
{
  gint64 total = 0;
  guint counted = 0;
  int height;

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkListItem *list_item = g_ptr_array_index (self->rows, i);
      EpsimoMessageRow *row = EPSIMO_MESSAGE_ROW (gtk_list_item_get_child (list_item));
      int shown;

      if (!epsimo_message_row_get_realized (row))
        continue;
      shown = epsimo_chat_item_get_shown_height (epsimo_message_row_get_item (row),
                                                 gtk_widget_get_width (GTK_WIDGET (row)));
      /* Realized ahead, off screen: GTK did not lay it out. */
      if (shown <= 0)
        continue;
      total += shown;
      counted++;
    }

  if (counted == 0)
    return FALSE;
  self->height_checked = TRUE;
  height = (int) (total / counted);
  if (ABS (height - self->unshown_height) * 4 < self->unshown_height)
    return FALSE;

  self->unshown_height = height;
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkListItem *list_item = g_ptr_array_index (self->rows, i);
      GtkWidget *row = gtk_list_item_get_child (list_item);

      epsimo_message_row_set_unshown_height (EPSIMO_MESSAGE_ROW (row), height);
    }
  return TRUE;
}

/* Rows are bound as empty boxes (GtkListView 4.8 binds 200 of them around what is on
 * screen) and realized here, after GTK laid the list out and before the frame is painted:
 * every row on screen at once (the frame clock lays out again when they change size, so
 * no empty box is ever painted), and one of the two rows on either side of the screen per
 * frame while the frame has time to spare, so that scrolling finds them ready. GTK only
 * places the rows on screen; the others are found by their position. Returns whether any
 * row changed. */
static gboolean
realize_rows (EpsimoTranscriptView *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->list_view));
  guint first = G_MAXUINT;
  guint last = 0;
  gboolean changed = FALSE;
  GtkListItem *ahead = NULL;
  guint ahead_distance = G_MAXUINT;
  guint placeholder = G_MAXUINT;
  gint64 spent;

  if (height <= 0 || self->clock == NULL)
    return FALSE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkListItem *list_item = g_ptr_array_index (self->rows, i);
      EpsimoMessageRow *row = EPSIMO_MESSAGE_ROW (gtk_list_item_get_child (list_item));
      guint position = gtk_list_item_get_position (list_item);
      graphene_rect_t bounds;

      if (!epsimo_message_row_get_placed (row)
          || !gtk_widget_compute_bounds (GTK_WIDGET (row), GTK_WIDGET (self->list_view),
                                         &bounds)
          || bounds.size.height <= 0
          || bounds.origin.y + bounds.size.height <= 0 || bounds.origin.y >= height)
        continue;

      first = MIN (first, position);
      last = MAX (last, position);
      changed |= epsimo_message_row_realize (row);
    }
  if (changed || first == G_MAXUINT)
    return changed;
  if (!self->height_checked && check_unshown_height (self))
    return TRUE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkListItem *list_item = g_ptr_array_index (self->rows, i);
      EpsimoMessageRow *row = EPSIMO_MESSAGE_ROW (gtk_list_item_get_child (list_item));
      guint position = gtk_list_item_get_position (list_item);
      guint distance = position < first ? first - position
                       : position > last ? position - last : 0;

      if (epsimo_chat_item_get_placeholder (epsimo_message_row_get_item (row)))
        placeholder = MIN (placeholder, distance);
      else if (!epsimo_message_row_get_realized (row) && distance <= AHEAD_ROWS
               && distance < ahead_distance)
        {
          ahead = list_item;
          ahead_distance = distance;
        }
    }

  /* Messages not fetched yet near the screen: the next page is fetched now, long before
   * they are scrolled to. */
  if (placeholder <= PREFETCH_ROWS && !self->loading_older)
    self->older_wanted = TRUE;

  /* Layout runs several times in a frame when sizes change: one row ahead per frame, and
   * only early in the frame. While rows wait, another frame follows (even when nothing
   * else moves, so that they are ready before the user scrolls). */
  if (ahead == NULL)
    return FALSE;
  spent = g_get_monotonic_time () - gdk_frame_clock_get_frame_time (self->clock);
  if (self->ahead_frame != gdk_frame_clock_get_frame_counter (self->clock)
      && spent < AHEAD_BUDGET_US)
    {
      self->ahead_frame = gdk_frame_clock_get_frame_counter (self->clock);
      return epsimo_message_row_realize (EPSIMO_MESSAGE_ROW (gtk_list_item_get_child (ahead)));
    }
  if (self->ahead_idle_id == 0)
    self->ahead_idle_id = g_idle_add (next_frame_cb, self);
  return FALSE;
}

static gboolean
last_row_placed (EpsimoTranscriptView *self,
                 guint                 n)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkListItem *list_item = g_ptr_array_index (self->rows, i);

      if (gtk_list_item_get_position (list_item) == n - 1)
        {
          EpsimoMessageRow *row = EPSIMO_MESSAGE_ROW (gtk_list_item_get_child (list_item));

          return epsimo_message_row_get_realized (row) && epsimo_message_row_get_placed (row);
        }
    }
  return FALSE;
}

/* Pinned, and not at the bottom: the last item is scrolled to, or when that did not reach
 * the bottom, the value set at the next layout. */
static void
pin (EpsimoTranscriptView *self,
     GtkAdjustment        *adjustment,
     double                upper,
     double                page,
     guint                 n)
{
  /* The last row already laid out (a reply growing at the bottom): the list knows where
   * its end is, and the value goes there at once. Scrolling to the item first cost a layout
   * of the whole window more in each frame of a streamed reply, and showed a reply taller
   * than the screen from its top until the value was set. */
  if (!self->fallback_pending && !last_row_placed (self, n))
    {
      self->fallback_pending = TRUE;
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n - 1);
    }
  else
    {
      self->fallback_pending = FALSE;
      gtk_adjustment_set_value (adjustment, upper - page);
    }
}

/* Runs after GTK laid the list out, before the frame is painted. The list's "upper" is an
 * estimate, so the only reliable bottom is value == upper - page_size. */
static void
on_layout (GdkFrameClock        *clock,
           EpsimoTranscriptView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double value = gtk_adjustment_get_value (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);
  guint n = n_items (self);

  /* Rows are shown where the list is going to be, not where it opens (its top). */
  if (self->pinned && n > 0 && page > 0 && value < upper - page)
    {
      pin (self, adjustment, upper, page, n);
      return;
    }

  /* Sizes changed: GTK lays out again within this frame, and comes back here. */
  if (realize_rows (self))
    return;

  if (self->older_wanted && self->idle_id == 0)
    {
      self->older_wanted = FALSE;
      self->idle_id = g_idle_add (emit_load_older_cb, self);
    }

  if (n == 0 || page <= 0)
    return;

  /* Nothing to scroll: the user could never reach the top to ask for more. */
  if (!self->fit_checked && upper <= page)
    {
      self->fit_checked = TRUE;
      queue_load_older (self);
    }

  if (self->pinned && value >= upper - page)
    self->fallback_pending = FALSE;
}

static void
set_pinned (EpsimoTranscriptView *self,
            gboolean              pinned)
{
  pinned = !!pinned;
  if (self->pinned == pinned)
    return;

  self->pinned = pinned;
  self->fallback_pending = FALSE;
  update_jump_button (self);
  if (pinned)
    request_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PINNED]);
}

/* The user's own scrolling unpins; the list moving its value itself must not. */
static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           EpsimoTranscriptView     *self)
{
  if (dy < 0)
    set_pinned (self, FALSE);
  return FALSE;
}

static void
on_scrollbar_pressed (GtkGestureClick      *gesture,
                      int                   n_press,
                      double                x,
                      double                y,
                      EpsimoTranscriptView *self)
{
  set_pinned (self, FALSE);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                EpsimoTranscriptView  *self)
{
  switch (keyval)
    {
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      set_pinned (self, FALSE);
      break;

    default:
      break;
    }
  return FALSE;
}

static void
on_edge_reached (EpsimoTranscriptView *self,
                 GtkPositionType       position)
{
  if (position == GTK_POS_BOTTOM)
    set_pinned (self, TRUE);
  /* Only the user's scrolling gets to the top while unpinned (a new model starts there). */
  else if (position == GTK_POS_TOP && !self->pinned)
    queue_load_older (self);
}

/* Rows not shown yet all take one height, the typical height of this thread's messages,
 * guessed from the newest ones when the model first has items and then kept. GtkListView
 * 4.8 takes the median height of the rows it holds for the thousands it does not: held
 * rows of differing sizes made that median change with every row bound, and the rows
 * above the screen then moved by screens at a time, the list binding and unbinding rows
 * back and forth on every frame. A height close to the real ones also keeps the scrollbar
 * still as rows are shown and forgotten. */
static void
guess_unshown_height (EpsimoTranscriptView *self)
{
  guint n = n_items (self);
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  guint counted = 0;
  gint64 total = 0;

  if (self->unshown_height > 0 || n == 0)
    return;

  for (guint i = n; i > 0 && counted < 100; i--)
    {
      g_autoptr(EpsimoChatItem) item = g_list_model_get_item (self->model, i - 1);

      if (epsimo_chat_item_get_placeholder (item))
        break;
      total += epsimo_message_row_guess_height (item, width > 0 ? width : 800);
      counted++;
    }
  self->unshown_height = counted > 0 ? (int) (total / counted) : 200;
}

static void
on_items_changed (EpsimoTranscriptView *self)
{
  self->fit_checked = FALSE;
  guess_unshown_height (self);
  update_jump_button (self);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
  gtk_list_item_set_child (list_item, epsimo_message_row_new ());
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          EpsimoTranscriptView     *self)
{
  EpsimoMessageRow *row = EPSIMO_MESSAGE_ROW (gtk_list_item_get_child (list_item));
  EpsimoChatItem *item = gtk_list_item_get_item (list_item);

  epsimo_message_row_set_unshown_height (row, self->unshown_height);
  epsimo_message_row_set_item (row, item);
  g_ptr_array_add (self->rows, list_item);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            EpsimoTranscriptView     *self)
{
  EpsimoMessageRow *row = EPSIMO_MESSAGE_ROW (gtk_list_item_get_child (list_item));

  epsimo_message_row_set_item (row, NULL);
  g_ptr_array_remove_fast (self->rows, list_item);
}

/* A row may be disposed without being unbound first (the list going away). */
static void
teardown_row (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              EpsimoTranscriptView     *self)
{
  g_ptr_array_remove_fast (self->rows, list_item);
}

static void
epsimo_transcript_view_realize (GtkWidget *widget)
{
  EpsimoTranscriptView *self = EPSIMO_TRANSCRIPT_VIEW (widget);

  GTK_WIDGET_CLASS (epsimo_transcript_view_parent_class)->realize (widget);

  /* After GTK's own layout handler, which was connected when the surface was made. */
  self->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->layout_id = g_signal_connect_after (self->clock, "layout", G_CALLBACK (on_layout), self);
  request_layout (self);
}

static gboolean rows_prepared;
static gboolean code_prepared;

/* Draws each icon once, off the main thread: that decodes its SVG into the texture the icon
 * keeps (the icon's own lock makes this safe; GTK's preloading does the same). */
static void
draw_icons_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      icons,
                   GCancellable *cancellable)
{
  for (guint i = 0; i < ((GPtrArray *) icons)->len; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      GskRenderNode *node;

      gdk_paintable_snapshot (g_ptr_array_index ((GPtrArray *) icons, i), snapshot, 16, 16);
      node = gtk_snapshot_free_to_node (snapshot);
      g_clear_pointer (&node, gsk_render_node_unref);
    }
  g_task_return_boolean (task, TRUE);
}

/* The icons that first show as a reply starts (the composer's Stop, the jump to the latest
 * message, a message's Copy, the "Thinking…" spinner): an icon's first drawing decodes its
 * SVG, four times for a symbolic one, 2 to 3 ms inside the reply's first frames. Decoded in
 * a thread now instead, and kept. GTK caches an icon by its name, size, scale, direction
 * and lookup flags, so these are looked up as GTK will: an image asks with the widget's
 * direction, preloading (a thread decodes it) when it is measured, or not when it is drawn
 * before that (a button shown by a stack); a spinner's icon comes from the style sheet,
 * without direction or preloading. */
static void
preload_reply_icons (GtkWidget *widget)
{
  static const char * const image_names[] = {
    "media-playback-stop-symbolic", "go-bottom-symbolic", "edit-copy-symbolic",
  };
  static GPtrArray *kept;
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  int scale = gtk_widget_get_scale_factor (widget);
  GtkTextDirection direction = gtk_widget_get_direction (widget);
  g_autoptr(GPtrArray) to_draw = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GTask) task = NULL;

  if (kept != NULL)
    return;
  kept = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (image_names); i++)
    {
      g_ptr_array_add (kept, gtk_icon_theme_lookup_icon (theme, image_names[i], NULL, 16, scale,
                                                         direction, GTK_ICON_LOOKUP_PRELOAD));
      g_ptr_array_add (to_draw, gtk_icon_theme_lookup_icon (theme, image_names[i], NULL, 16,
                                                            scale, direction, 0));
    }
  g_ptr_array_add (to_draw, gtk_icon_theme_lookup_icon (theme, "process-working-symbolic", NULL,
                                                        16, scale, GTK_TEXT_DIR_NONE, 0));
  g_ptr_array_extend (kept, to_draw, (GCopyFunc) g_object_ref, NULL);

  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, preload_reply_icons);
  g_task_set_task_data (task, g_steal_pointer (&to_draw), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, draw_icons_thread);
}

/* The fonts of a message's row (its author's heading, its time's caption figures, its
 * text) are loaded, matched and measured when a row first shows them: 4 to 6 ms of the
 * frame showing a new conversation's first message. A user's and an assistant's row are
 * laid out once instead, off screen (not in the window: nothing is announced or drawn),
 * at the width of the list. */
static void
measure_sample_rows (EpsimoTranscriptView *self)
{
  static const EpsimoChatItemKind kinds[] = { EPSIMO_CHAT_ITEM_USER, EPSIMO_CHAT_ITEM_ASSISTANT };
  int width = MAX (gtk_widget_get_width (GTK_WIDGET (self->list_view)), 360);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(EpsimoMessage) message = NULL;
      g_autoptr(EpsimoChatItem) item = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GtkWidget *row = g_object_ref_sink (epsimo_message_row_new ());

      /* Text with the letters and figures most messages have. */
      message = epsimo_message_new (kinds[i] == EPSIMO_CHAT_ITEM_USER
                                    ? EPSIMO_MESSAGE_ROLE_USER : EPSIMO_MESSAGE_ROLE_ASSISTANT,
                                    "The quick brown fox jumps over the lazy dog, 0123456789. "
                                    "PACK MY BOX WITH FIVE DOZEN LIQUOR JUGS!");
      epsimo_message_set_timestamp (message, now);
      item = epsimo_chat_item_new (kinds[i], message);
      epsimo_message_row_set_item (EPSIMO_MESSAGE_ROW (row), item);
      epsimo_message_row_realize (EPSIMO_MESSAGE_ROW (row));
      gtk_widget_measure (row, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
      gtk_widget_measure (row, GTK_ORIENTATION_VERTICAL, width, NULL, NULL, NULL, NULL);
      epsimo_message_row_set_item (EPSIMO_MESSAGE_ROW (row), NULL);
      g_object_unref (row);
    }
}

/* A code block's widgets and the style schemes: a thread showing none in its first frame
 * gets them after it. */
static gboolean
prepare_code_cb (gpointer user_data)
{
  EpsimoTranscriptView *self = user_data;
  GtkWidget *view;

  self->prepare_id = 0;
  code_prepared = TRUE;
  view = g_object_ref_sink (epsimo_markdown_view_new ());
  epsimo_markdown_view_set_text (EPSIMO_MARKDOWN_VIEW (view), "```\n\n```\n");
  g_object_unref (view);
  measure_sample_rows (self);
  preload_reply_icons (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
stop_waiting_for_frame (EpsimoTranscriptView *self)
{
  if (self->prepare_window != NULL)
    gtk_widget_remove_tick_callback (self->prepare_window, self->prepare_tick_id);
  self->prepare_tick_id = 0;
  g_clear_weak_pointer (&self->prepare_window);
}

/* The window's first frame is being made: the code part follows it (an idle added during
 * a frame runs once the frame is painted). */
static gboolean
on_window_first_tick (GtkWidget     *window,
                      GdkFrameClock *clock,
                      gpointer       user_data)
{
  EpsimoTranscriptView *self = user_data;

  self->prepare_tick_id = 0;
  g_clear_weak_pointer (&self->prepare_window);
  if (self->prepare_id == 0)
    self->prepare_id = g_idle_add_full (G_PRIORITY_DEFAULT, prepare_code_cb, self, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
prepare_rows_cb (gpointer user_data)
{
  EpsimoTranscriptView *self = user_data;
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (self));
  GtkWidget *root;

  self->prepare_id = 0;
  rows_prepared = TRUE;
  g_type_ensure (EPSIMO_TYPE_MESSAGE_ROW);
  /* A first markdown view adds the views' style sheet to the display: before the window is
   * styled, not as the first message shows (the whole window styled again). The icon theme
   * is looked up after it: the application set GtkSourceView up at its start and the
   * window has the theme loading in a worker since (the lookup waits for it, if need be);
   * in a process that did not, the view's class sets GtkSourceView up, which makes the
   * theme load again. */
  g_object_unref (g_object_ref_sink (epsimo_markdown_view_new ()));
  gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (display), "edit-copy-symbolic");

  /* The window not shown yet (waiting for its content), its first frame comes first. */
  root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  if (root == NULL || gtk_widget_get_mapped (root))
    self->prepare_id = g_idle_add_full (G_PRIORITY_DEFAULT, prepare_code_cb, self, NULL);
  else if (self->prepare_window == NULL)
    {
      g_set_weak_pointer (&self->prepare_window, root);
      self->prepare_tick_id = gtk_widget_add_tick_callback (root, on_window_first_tick, self,
                                                            NULL);
    }
  return G_SOURCE_REMOVE;
}

static void
epsimo_transcript_view_unrealize (GtkWidget *widget)
{
  EpsimoTranscriptView *self = EPSIMO_TRANSCRIPT_VIEW (widget);

  if (self->clock != NULL)
    {
      g_clear_signal_handler (&self->layout_id, self->clock);
      g_clear_object (&self->clock);
    }

  GTK_WIDGET_CLASS (epsimo_transcript_view_parent_class)->unrealize (widget);
}

static void
epsimo_transcript_view_dispose (GObject *object)
{
  EpsimoTranscriptView *self = (EpsimoTranscriptView *)object;

  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_handle_id (&self->ahead_idle_id, g_source_remove);
  g_clear_handle_id (&self->prepare_id, g_source_remove);
  stop_waiting_for_frame (self);
  if (self->model != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->model);
  g_clear_object (&self->model);
  gtk_widget_dispose_template (GTK_WIDGET (self), EPSIMO_TYPE_TRANSCRIPT_VIEW);

  G_OBJECT_CLASS (epsimo_transcript_view_parent_class)->dispose (object);
}

static void
epsimo_transcript_view_finalize (GObject *object)
{
  EpsimoTranscriptView *self = (EpsimoTranscriptView *)object;

  /* Not in dispose: the list unbinds its rows when the template is disposed. */
  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (epsimo_transcript_view_parent_class)->finalize (object);
}

static void
epsimo_transcript_view_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  EpsimoTranscriptView *self = EPSIMO_TRANSCRIPT_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;

    case PROP_PINNED:
      g_value_set_boolean (value, self->pinned);
      break;

    case PROP_LOADING_OLDER:
      g_value_set_boolean (value, self->loading_older);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
epsimo_transcript_view_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  EpsimoTranscriptView *self = EPSIMO_TRANSCRIPT_VIEW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      epsimo_transcript_view_set_model (self, g_value_get_object (value));
      break;

    case PROP_PINNED:
      epsimo_transcript_view_set_pinned (self, g_value_get_boolean (value));
      break;

    case PROP_LOADING_OLDER:
      epsimo_transcript_view_set_loading_older (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The conversation never sizes the window: it scrolls. GTK on X11 measures the whole window
 * (at no given width) after every frame in which something was resized, and a streaming
 * reply resizes its row dozens of times a second. Measured through the scrolled window,
 * every changed label of the reply was then laid out again at its minimum width, most of a
 * 16-25 ms frame. So the transcript answers with a fixed size of its own, without asking
 * its rows; they are measured only at the width they get, when the list lays them out. */
#define TRANSCRIPT_MIN_WIDTH  300
#define TRANSCRIPT_MIN_HEIGHT 150

static void
epsimo_transcript_view_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? TRANSCRIPT_MIN_WIDTH
                                                                  : TRANSCRIPT_MIN_HEIGHT;
}

static void
epsimo_transcript_view_size_allocate (GtkWidget *widget,
                                      int        width,
                                      int        height,
                                      int        baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
epsimo_transcript_view_class_init (EpsimoTranscriptViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = epsimo_transcript_view_dispose;
  object_class->finalize = epsimo_transcript_view_finalize;
  object_class->get_property = epsimo_transcript_view_get_property;
  object_class->set_property = epsimo_transcript_view_set_property;
  widget_class->realize = epsimo_transcript_view_realize;
  widget_class->unrealize = epsimo_transcript_view_unrealize;
  widget_class->measure = epsimo_transcript_view_measure;
  widget_class->size_allocate = epsimo_transcript_view_size_allocate;

  properties[PROP_MODEL] = g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL, rw);
  properties[PROP_PINNED] = g_param_spec_boolean ("pinned", NULL, NULL, TRUE, rw);
  properties[PROP_LOADING_OLDER] =
    g_param_spec_boolean ("loading-older", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LOAD_OLDER] = g_signal_new ("load-older", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                      G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/epsimoagents/Desktop/chat/"
                                               "epsimo-transcript-view.ui");
  gtk_widget_class_bind_template_child (widget_class, EpsimoTranscriptView, scroller);
  gtk_widget_class_bind_template_child (widget_class, EpsimoTranscriptView, list_view);
  gtk_widget_class_bind_template_child (widget_class, EpsimoTranscriptView, jump_revealer);
  gtk_widget_class_bind_template_child (widget_class, EpsimoTranscriptView, jump_button);
  gtk_widget_class_bind_template_child (widget_class, EpsimoTranscriptView, older_revealer);
  gtk_widget_class_bind_template_child (widget_class, EpsimoTranscriptView, older_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_edge_reached);
}

static void
epsimo_transcript_view_init (EpsimoTranscriptView *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkEventController *controller;
  GtkGesture *gesture;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Given here rather than in the template: see epsimo_tooltip_set_text(). */
  epsimo_tooltip_set_text (self->jump_button, _("Jump to the newest message"));
  /* measure () and size_allocate () above, not AdwBin's layout manager. */
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  self->pinned = TRUE;
  self->rows = g_ptr_array_new ();

  /* Rows are built once in setup; bind and unbind only attach an item; on_layout() shows
   * the ones on screen. */
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row), self);
  gtk_list_view_set_factory (self->list_view, factory);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), controller);

  gesture = gtk_gesture_click_new ();
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_scrollbar_pressed), self);
  gtk_widget_add_controller (gtk_scrolled_window_get_vscrollbar (self->scroller),
                             GTK_EVENT_CONTROLLER (gesture));

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scroller), controller);
}

GtkWidget *
epsimo_transcript_view_new (void)
{
  return g_object_new (EPSIMO_TYPE_TRANSCRIPT_VIEW, NULL);
}

void
epsimo_transcript_view_set_model (EpsimoTranscriptView *self,
                                  GListModel           *model)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (EPSIMO_IS_TRANSCRIPT_VIEW (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->model);
  g_set_object (&self->model, model);
  if (model != NULL)
    {
      self->items_changed_id = g_signal_connect_swapped (model, "items-changed",
                                                         G_CALLBACK (on_items_changed), self);
      selection = gtk_no_selection_new (g_object_ref (model));
    }
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  /* A conversation opens at its newest message. */
  self->fit_checked = FALSE;
  self->unshown_height = 0;
  self->height_checked = FALSE;
  guess_unshown_height (self);
  self->pinned = FALSE;
  set_pinned (self, TRUE);
  update_jump_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

GListModel *
epsimo_transcript_view_get_model (EpsimoTranscriptView *self)
{
  g_return_val_if_fail (EPSIMO_IS_TRANSCRIPT_VIEW (self), NULL);

  return self->model;
}

gboolean
epsimo_transcript_view_get_pinned (EpsimoTranscriptView *self)
{
  g_return_val_if_fail (EPSIMO_IS_TRANSCRIPT_VIEW (self), FALSE);

  return self->pinned;
}

void
epsimo_transcript_view_set_pinned (EpsimoTranscriptView *self,
                                   gboolean              pinned)
{
  g_return_if_fail (EPSIMO_IS_TRANSCRIPT_VIEW (self));

  set_pinned (self, pinned);
}

void
epsimo_transcript_view_set_loading_older (EpsimoTranscriptView *self,
                                          gboolean              loading)
{
  g_return_if_fail (EPSIMO_IS_TRANSCRIPT_VIEW (self));

  loading = !!loading;
  if (self->loading_older == loading)
    return;

  self->loading_older = loading;
  /* Placeholders bound meanwhile wait for the next layout to ask for their page. */
  if (!loading)
    request_layout (self);
  gtk_revealer_set_reveal_child (self->older_revealer, loading);
  gtk_spinner_set_spinning (self->older_spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING_OLDER]);
}

void
epsimo_transcript_view_jump_to_latest (EpsimoTranscriptView *self)
{
  g_return_if_fail (EPSIMO_IS_TRANSCRIPT_VIEW (self));

  set_pinned (self, TRUE);
  request_layout (self);
}

GtkWidget *
epsimo_transcript_view_get_list_view (EpsimoTranscriptView *self)
{
  g_return_val_if_fail (EPSIMO_IS_TRANSCRIPT_VIEW (self), NULL);

  return GTK_WIDGET (self->list_view);
}

/**
 * epsimo_transcript_view_prepare_rows:
 *
 * The first message row made pays once for what every row needs: the markdown view's style
 * sheet (the whole window styled again), the icon theme, a code block's widgets and
 * GtkSourceView's style schemes (and GtkSourceView's set-up where the application did not
 * do it at its start). A thread opened empty paid that in the frames showing the user's
 * first message and the start of the reply (stalls of 25 to 35 ms); a thread with a
 * history, in its first frame, which came later for it. Called when a thread is opened,
 * this pays it on the next turn of the main loop, once per process: while its history is on
 * its way. (Not when idle: a long history arriving keeps the main loop busy until it is
 * in.) Before the window is first shown (it waits for its content), only what its first
 * frame needs anyway is paid then (the style sheet and the icon theme); a code block's
 * widgets, the style schemes and the icons a reply first shows follow its first frame.
 */
void
epsimo_transcript_view_prepare_rows (EpsimoTranscriptView *self)
{
  g_return_if_fail (EPSIMO_IS_TRANSCRIPT_VIEW (self));

  if (!rows_prepared && self->prepare_id == 0)
    self->prepare_id = g_idle_add_full (G_PRIORITY_DEFAULT, prepare_rows_cb, self, NULL);
  else if (rows_prepared && !code_prepared && self->prepare_id == 0
           && self->prepare_window == NULL)
    self->prepare_id = g_idle_add_full (G_PRIORITY_DEFAULT, prepare_code_cb, self, NULL);
}
