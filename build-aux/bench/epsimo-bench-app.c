/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-bench-app"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>

#include "chat/epsimo-chat-page-private.h"
#include "files/epsimo-files-page.h"
#include "widgets/epsimo-markdown-view.h"

#include "epsimo-application.h"
#include "epsimo-bench-common.h"

/* The in-process half of build-aux/bench: the real application (EpsimoApplication, its
 * window, resuming the account from the keyring and reopening the last project and thread
 * from the settings the driver wrote), driven from inside so that GdkFrameClock timings,
 * main-loop stalls, CPU time and RSS are read where they happen. One scenario per run:
 *
 *   epsimo-bench-app scroll SPEED SECONDS   scroll the open thread up at SPEED px/s
 *   epsimo-bench-app fling FRAMES           scroll it up one page per frame
 *   epsimo-bench-app stream BYTES           send a message; the reply (scripted on the
 *                                           test server by the driver) is BYTES long
 *   epsimo-bench-app upload FILE ASSISTANT  upload FILE from the Files section
 *
 * The result is one line of JSON on stdout; progress goes to stderr. */

#define READY_TIMEOUT_MS (120 * 1000)

static EpsimoApplication *app;

/* ---- small helpers -------------------------------------------------------------------- */

typedef gboolean (*Condition) (gpointer data);

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main loop until @condition holds (TRUE) or @timeout_ms pass (FALSE). */
static gboolean
wait_for (Condition condition,
          gpointer  data,
          guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return condition (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
spin (guint ms)
{
  wait_for (never, NULL, ms);
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWindow *
main_window (void)
{
  return gtk_application_get_active_window (GTK_APPLICATION (app));
}

static EpsimoChatPage *
chat_page (void)
{
  GtkWindow *window = main_window ();

  return window != NULL ? (EpsimoChatPage *) find_widget (GTK_WIDGET (window),
                                                         EPSIMO_TYPE_CHAT_PAGE) : NULL;
}

/* A field of /proc/self/status in kB ("VmRSS", "VmHWM"). */
static gint64
status_kb (const char *field)
{
  g_autofree char *contents = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return -1;
  line = strstr (contents, key);
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

/* Resets VmHWM to the current RSS (Linux 4.0 and later). Written in place: a file of /proc
 * cannot be replaced the way g_file_set_contents() does. */
static gboolean
reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (file == NULL)
    return FALSE;
  ok = fputs ("5", file) >= 0;
  return fclose (file) == 0 && ok;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* The @p quantile (0..1) of @values (sorted in place), by the nearest-rank method. */
static double
quantile (GArray *values,
          double  p)
{
  guint rank;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  rank = (guint) MAX (1.0, (p * values->len) + 0.999999);
  return g_array_index (values, double, MIN (rank, values->len) - 1);
}

static guint
count_over (GArray *values,
            double  limit)
{
  guint n = 0;

  for (guint i = 0; i < values->len; i++)
    n += g_array_index (values, double, i) > limit;
  return n;
}

/* ---- starting the app where the driver left it ---------------------------------------- */

static gboolean
thread_shown (gpointer data)
{
  EpsimoChatPage *page = chat_page ();
  EpsimoChatConversation *conversation;
  EpsimoTranscriptView *transcript;
  GtkAdjustment *adjustment;
  GtkWidget *list;

  if (page == NULL || !gtk_widget_get_mapped (GTK_WIDGET (page)))
    return FALSE;
  conversation = epsimo_chat_page_get_conversation (page);
  if (conversation == NULL || !epsimo_chat_conversation_get_loaded (conversation))
    return FALSE;

  /* An empty thread shows its placeholder instead of the transcript. */
  if (g_list_model_get_n_items (epsimo_chat_conversation_get_items (conversation)) == 0)
    return TRUE;

  transcript = epsimo_chat_page_get_transcript (page);
  list = epsimo_transcript_view_get_list_view (transcript);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
  return gtk_adjustment_get_page_size (adjustment) > 0
         && gtk_adjustment_get_value (adjustment)
            >= gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
}

static void
start_app (void)
{
  g_autoptr(GError) error = NULL;

  app = epsimo_application_new ();
  g_application_set_application_id (G_APPLICATION (app), APPLICATION_ID ".Bench");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    epsimo_bench_fail ("could not register: %s", error->message);
  g_application_activate (G_APPLICATION (app));

  if (!wait_for (thread_shown, NULL, READY_TIMEOUT_MS))
    epsimo_bench_fail ("the window did not reopen the thread (is the driver's set-up right?)");
  /* Whatever start-up left to do (the other sections' loading, idle frames). */
  spin (1500);
}

/* ---- frames --------------------------------------------------------------------------- */

typedef struct
{
  GdkFrameClock *clock;
  gulong         paint_id;
  gulong         update_id;
  gulong         layout_id;
  gulong         painted_id;
  /* Main-thread CPU time at the phases of the current frame, and the worst frame's split */
  gint64         at_start;
  gint64         at_update;
  gint64         at_layout;
  gint64         at_paint;
  double         worst_ms;
  double         worst_update_ms;
  double         worst_layout_ms;
  double         worst_paint_ms;
  guint          worst_index;   /* which frame it was, counted from frames_start() */
  GArray        *frame_times;   /* gint64 µs, GdkFrameClock frame times, one per frame */
  GArray        *thumb_tops;    /* double: the scrollbar thumb's top, px, after each frame */
  GArray        *values;        /* double: the adjustment value after each frame */
  GtkAdjustment *adjustment;
} Frames;

/* The phases GTK asked for are emitted in order within one main-loop iteration; a frame is
 * taken to start with its iteration. */
static void
frame_started (Frames *frames)
{
  if (!epsimo_bench_stalls_mark_framed (&frames->at_start))
    return;
  frames->at_update = frames->at_layout = frames->at_paint = frames->at_start;
}

static void
on_update (GdkFrameClock *clock,
           Frames        *frames)
{
  frame_started (frames);
  frames->at_update = epsimo_bench_thread_cpu_us ();
}

static void
on_layout_done (GdkFrameClock *clock,
                Frames        *frames)
{
  frame_started (frames);
  frames->at_layout = epsimo_bench_thread_cpu_us ();
}

static void
on_paint_done (GdkFrameClock *clock,
               Frames        *frames)
{
  frame_started (frames);
  frames->at_paint = epsimo_bench_thread_cpu_us ();
}

static void
on_after_paint (GdkFrameClock *clock,
                Frames        *frames)
{
  gint64 frame_time = gdk_frame_clock_get_frame_time (clock);
  gint64 now_cpu;
  double total;

  frame_started (frames);
  now_cpu = epsimo_bench_thread_cpu_us ();
  total = (now_cpu - frames->at_start) / 1000.0;

  /* Phases are read after GTK's own handlers ran: update = tick callbacks and what came
   * before, layout = measuring and allocating, paint = snapshot and rendering. */
  if (frames->at_start != 0 && total > frames->worst_ms)
    {
      frames->worst_ms = total;
      frames->worst_update_ms = (MAX (frames->at_update, frames->at_start)
                                 - frames->at_start) / 1000.0;
      frames->worst_layout_ms = (MAX (frames->at_layout, frames->at_update)
                                 - MAX (frames->at_update, frames->at_start)) / 1000.0;
      frames->worst_paint_ms = (MAX (frames->at_paint, frames->at_layout)
                                - MAX (frames->at_layout, frames->at_update)) / 1000.0;
      frames->worst_index = frames->frame_times->len;
    }
  double value = gtk_adjustment_get_value (frames->adjustment);
  double upper = gtk_adjustment_get_upper (frames->adjustment);
  double page = gtk_adjustment_get_page_size (frames->adjustment);
  /* The trough spans about the page; the thumb starts at value / upper of it. */
  double thumb = upper > 0 ? value / upper * page : 0;

  g_array_append_val (frames->frame_times, frame_time);
  g_array_append_val (frames->thumb_tops, thumb);
  g_array_append_val (frames->values, value);
}

static void
frames_start (Frames        *frames,
              GtkAdjustment *adjustment)
{
  /* The window's clock: the transcript may not be on screen yet (an empty thread). */
  frames->clock = gtk_widget_get_frame_clock (GTK_WIDGET (main_window ()));
  frames->adjustment = adjustment;
  frames->frame_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  frames->thumb_tops = g_array_new (FALSE, FALSE, sizeof (double));
  frames->values = g_array_new (FALSE, FALSE, sizeof (double));
  frames->paint_id = g_signal_connect (frames->clock, "after-paint",
                                       G_CALLBACK (on_after_paint), frames);
  frames->update_id = g_signal_connect_after (frames->clock, "update",
                                              G_CALLBACK (on_update), frames);
  frames->layout_id = g_signal_connect_after (frames->clock, "layout",
                                              G_CALLBACK (on_layout_done), frames);
  frames->painted_id = g_signal_connect_after (frames->clock, "paint",
                                               G_CALLBACK (on_paint_done), frames);
}

static void
frames_stop (Frames *frames)
{
  g_clear_signal_handler (&frames->paint_id, frames->clock);
  g_clear_signal_handler (&frames->update_id, frames->clock);
  g_clear_signal_handler (&frames->layout_id, frames->clock);
  g_clear_signal_handler (&frames->painted_id, frames->clock);
}

/* Intervals between consecutive frames, in ms. */
static GArray *
frame_intervals (Frames *frames)
{
  GArray *intervals = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 1; i < frames->frame_times->len; i++)
    {
      double ms = (g_array_index (frames->frame_times, gint64, i)
                   - g_array_index (frames->frame_times, gint64, i - 1)) / 1000.0;

      g_array_append_val (intervals, ms);
    }
  return intervals;
}

/* ---- scrolling ------------------------------------------------------------------------ */

typedef struct
{
  GtkAdjustment          *adjustment;
  EpsimoChatConversation *conversation;
  double                  speed;        /* px/s; 0: one page per frame */
  guint                   max_frames;
  gint64                  end_time;
  gint64                  last_frame;
  guint                   frames;
  double                  distance;
  gboolean                done;
  guint                   tick_id;
} Scroll;

static gboolean
on_scroll_tick (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Scroll *scroll = user_data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double value = gtk_adjustment_get_value (scroll->adjustment);
  double step;

  if (scroll->last_frame == 0)
    {
      scroll->last_frame = now;
      return G_SOURCE_CONTINUE;
    }

  /* At the top with nothing older to fetch, or out of time: done. */
  if (now >= scroll->end_time
      || (scroll->max_frames > 0 && scroll->frames >= scroll->max_frames)
      || (value <= 0
          && !epsimo_chat_conversation_get_has_older (scroll->conversation)
          && !epsimo_chat_conversation_get_loading_older (scroll->conversation)))
    {
      scroll->done = TRUE;
      scroll->tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  /* A wheel turned at a steady speed: each frame moves what the time since the last one is
   * worth (capped, so one slow frame does not jump a screen). */
  if (scroll->speed > 0)
    step = scroll->speed * MIN (now - scroll->last_frame, 100000) / 1e6;
  else
    step = gtk_adjustment_get_page_size (scroll->adjustment);
  scroll->last_frame = now;
  scroll->frames++;
  scroll->distance += MIN (step, value);
  gtk_adjustment_set_value (scroll->adjustment, MAX (0, value - step));
  return G_SOURCE_CONTINUE;
}

static gboolean
scroll_done (gpointer data)
{
  return ((Scroll *) data)->done;
}

static int
run_scroll (double speed,
            double seconds,
            guint  max_frames)
{
  EpsimoChatPage *page = chat_page ();
  EpsimoTranscriptView *transcript = epsimo_chat_page_get_transcript (page);
  GtkWidget *list = epsimo_transcript_view_get_list_view (transcript);
  EpsimoChatConversation *conversation = epsimo_chat_page_get_conversation (page);
  GListModel *items = epsimo_chat_conversation_get_items (conversation);
  Scroll scroll = { 0 };
  Frames frames = { 0 };
  g_autoptr(GArray) intervals = NULL;
  guint backwards = 0;
  double worst_back = 0;
  guint n_before = g_list_model_get_n_items (items);
  double start_value;

  scroll.adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
  scroll.conversation = conversation;
  scroll.speed = speed;
  scroll.max_frames = max_frames;
  start_value = gtk_adjustment_get_value (scroll.adjustment);

  /* What the user's first turn of the wheel does: the transcript stops following the end. */
  epsimo_transcript_view_set_pinned (transcript, FALSE);
  frames_start (&frames, scroll.adjustment);
  scroll.end_time = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  scroll.tick_id = gtk_widget_add_tick_callback (list, on_scroll_tick, &scroll, NULL);
  wait_for (scroll_done, &scroll, (guint) (seconds * 1000) + 30000);
  if (scroll.tick_id != 0)
    gtk_widget_remove_tick_callback (list, scroll.tick_id);
  frames_stop (&frames);

  /* Scrolling up, the thumb only ever moves up: any frame where it went down by a pixel or
   * more is the scrollbar jumping backwards. */
  for (guint i = 1; i < frames.thumb_tops->len; i++)
    {
      double moved = g_array_index (frames.thumb_tops, double, i)
                     - g_array_index (frames.thumb_tops, double, i - 1);

      if (moved >= 1.0)
        {
          backwards++;
          worst_back = MAX (worst_back, moved);
          /* Where, for whoever looks into a jump (stderr goes to the driver's run.log). */
          if (g_getenv ("EPSIMO_BENCH_DEBUG") != NULL)
            fprintf (stderr, "backward at frame %u: value %.0f -> %.0f, thumb %.2f -> %.2f\n",
                     i, g_array_index (frames.values, double, i - 1),
                     g_array_index (frames.values, double, i),
                     g_array_index (frames.thumb_tops, double, i - 1),
                     g_array_index (frames.thumb_tops, double, i));
        }
    }

  intervals = frame_intervals (&frames);
  printf ("{\"frames\": %u, \"p50_ms\": %.2f, \"p95_ms\": %.2f, \"max_ms\": %.2f, "
          "\"over_50ms\": %u, \"backward_jumps\": %u, \"worst_backward_px\": %.1f, "
          "\"distance_px\": %.0f, \"seconds\": %.2f, \"start_value\": %.0f, "
          "\"items_before\": %u, \"items_after\": %u, \"reached_top\": %s}\n",
          intervals->len, quantile (intervals, 0.5), quantile (intervals, 0.95),
          epsimo_bench_maximum (intervals), count_over (intervals, 50.0), backwards, worst_back,
          scroll.distance,
          frames.frame_times->len > 1
          ? (g_array_index (frames.frame_times, gint64, frames.frame_times->len - 1)
             - g_array_index (frames.frame_times, gint64, 0)) / 1e6 : 0.0,
          start_value, n_before, g_list_model_get_n_items (items),
          gtk_adjustment_get_value (scroll.adjustment) <= 0
          && !epsimo_chat_conversation_get_has_older (conversation) ? "true" : "false");

  g_array_unref (frames.frame_times);
  g_array_unref (frames.thumb_tops);
  g_array_unref (frames.values);
  return 0;
}

/* ---- streaming ------------------------------------------------------------------------ */

typedef struct
{
  EpsimoChatConversation *conversation;
  gboolean                started;
} StreamWait;

static gboolean
reply_started (gpointer data)
{
  StreamWait *wait = data;

  return epsimo_chat_conversation_get_running (wait->conversation);
}

static gboolean
reply_ended (gpointer data)
{
  StreamWait *wait = data;

  return !epsimo_chat_conversation_get_running (wait->conversation)
         && !epsimo_chat_conversation_get_busy (wait->conversation);
}

static EpsimoMarkdownView *
find_view_of (GtkWidget              *root,
              EpsimoMarkdownRenderer *renderer)
{
  if (EPSIMO_IS_MARKDOWN_VIEW (root)
      && epsimo_markdown_view_get_renderer (EPSIMO_MARKDOWN_VIEW (root)) == renderer)
    return EPSIMO_MARKDOWN_VIEW (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      EpsimoMarkdownView *found = find_view_of (child, renderer);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget              *list;
  EpsimoMarkdownRenderer *renderer;
  gsize                   bytes;
} Shown;

/* All of the reply is on screen: the item has the whole text, the renderer caught up, and
 * the transcript's row shows a widget for every block. */
static gboolean
all_shown (gpointer data)
{
  Shown *shown = data;
  EpsimoMarkdownView *view;
  guint n_children = 0;

  if (strlen (epsimo_markdown_renderer_get_text (shown->renderer)) != shown->bytes
      || epsimo_markdown_renderer_get_pending (shown->renderer))
    return FALSE;

  view = find_view_of (shown->list, shown->renderer);
  if (view == NULL || epsimo_markdown_view_get_truncated (view)
      || !gtk_widget_get_mapped (GTK_WIDGET (view)))
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n_children++;
  return n_children == epsimo_markdown_renderer_get_n_blocks (shown->renderer);
}

static int
run_stream (guint64 bytes)
{
  EpsimoChatPage *page = chat_page ();
  EpsimoComposer *composer = epsimo_chat_page_get_composer (page);
  EpsimoTranscriptView *transcript = epsimo_chat_page_get_transcript (page);
  GtkWidget *list = epsimo_transcript_view_get_list_view (transcript);
  StreamWait wait = { epsimo_chat_page_get_conversation (page), FALSE };
  EpsimoBenchStalls *stalls;
  EpsimoChatItem *reply;
  Shown shown = { 0 };
  double cpu_start, cpu_end;
  gint64 t_start, t_end, t_shown;
  gboolean ok;
  Frames frames = { 0 };
  g_autoptr(GArray) intervals = NULL;

  frames_start (&frames, gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list)));
  stalls = epsimo_bench_stalls_monitor (TRUE);
  cpu_start = epsimo_bench_cpu_seconds ();
  t_start = g_get_monotonic_time ();

  /* As the user does: type, then Send. */
  epsimo_composer_set_text (composer, "Benchmark: stream a long reply");
  g_signal_emit_by_name (composer, "send");
  if (!wait_for (reply_started, &wait, 60000))
    epsimo_bench_fail ("the reply did not start");
  ok = wait_for (reply_ended, &wait, 3600 * 1000);
  t_end = g_get_monotonic_time ();

  reply = epsimo_chat_conversation_get_last_reply (wait.conversation);
  shown.list = list;
  shown.renderer = epsimo_chat_item_get_renderer (reply);
  shown.bytes = bytes;
  ok = ok && wait_for (all_shown, &shown, 10000);
  t_shown = g_get_monotonic_time ();
  cpu_end = epsimo_bench_cpu_seconds ();
  epsimo_bench_stalls_monitor (FALSE);
  frames_stop (&frames);

  intervals = frame_intervals (&frames);
  printf ("{\"cpu_s\": %.3f, \"wall_s\": %.3f, \"shown_after_end_ms\": %.1f, "
          "\"all_shown\": %s, \"text_bytes\": %zu, \"blocks\": %u, "
          "\"max_stall_ms\": %.2f, \"stalls_over_16ms\": %u, \"max_stall_cpu_ms\": %.2f, "
          "\"stalls_cpu_over_16ms\": %u, \"long_with_frame\": %u, "
          "\"long_without_frame\": %u, \"worst_frame_cpu_ms\": %.2f, "
          "\"worst_frame_split_ms\": [%.2f, %.2f, %.2f], \"worst_frame_index\": %u, "
          "\"iterations\": %u, "
          "\"frames\": %u, \"frame_p95_ms\": %.2f, \"state\": %u, "
          "\"long_iterations\": [%s]}\n",
          cpu_end - cpu_start, (t_end - t_start) / 1e6, (t_shown - t_end) / 1e3,
          ok ? "true" : "false", strlen (epsimo_markdown_renderer_get_text (shown.renderer)),
          epsimo_markdown_renderer_get_n_blocks (shown.renderer),
          epsimo_bench_maximum (stalls->wall_ms), count_over (stalls->wall_ms, 16.0),
          epsimo_bench_maximum (stalls->cpu_ms), count_over (stalls->cpu_ms, 16.0),
          stalls->long_framed, stalls->long_unframed, frames.worst_ms, frames.worst_update_ms,
          frames.worst_layout_ms, frames.worst_paint_ms, frames.worst_index,
          stalls->wall_ms->len,
          intervals->len, quantile (intervals, 0.95), epsimo_chat_item_get_state (reply),
          stalls->long_list->str);

  g_array_unref (frames.frame_times);
  g_array_unref (frames.thumb_tops);
  g_array_unref (frames.values);
  return ok ? 0 : 1;
}

/* ---- uploading ------------------------------------------------------------------------ */

static gboolean
upload_over (gpointer data)
{
  EpsimoUploadState state = epsimo_upload_get_state (EPSIMO_UPLOAD (data));

  return state == EPSIMO_UPLOAD_DONE || state == EPSIMO_UPLOAD_FAILED
         || state == EPSIMO_UPLOAD_CANCELLED;
}

static gboolean
files_page_built (gpointer data)
{
  return find_widget (GTK_WIDGET (data), EPSIMO_TYPE_FILES_PAGE) != NULL;
}

static gboolean
files_page_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static int
run_upload (const char *path,
            const char *assistant_id)
{
  GtkWindow *window = main_window ();
  EpsimoFilesPage *page = NULL;
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) uploads = NULL;
  g_autoptr(GFileInfo) info = NULL;
  EpsimoUpload *upload;
  gint64 rss_before, hwm_after, t_start, t_end;
  double cpu_start, cpu_end;
  goffset size;
  gboolean peak_reset;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            NULL, NULL);
  if (info == NULL)
    epsimo_bench_fail ("no file %s", path);
  size = g_file_info_get_size (info);

  /* The Files section, as a user would open it to upload (the window builds it then). */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-section", "s", "files");
  if (!wait_for (files_page_built, window, 10000))
    epsimo_bench_fail ("the Files section was not built");
  page = (EpsimoFilesPage *) find_widget (GTK_WIDGET (window), EPSIMO_TYPE_FILES_PAGE);
  if (!wait_for (files_page_mapped, page, 10000))
    epsimo_bench_fail ("the Files section did not open");
  spin (1500);

  g_list_store_append (files, file);
  rss_before = status_kb ("VmRSS");
  peak_reset = reset_peak_rss ();
  /* No stall monitor here: timing every one of the 260,000 iterations of a 1 GiB upload
   * would slow the upload it measures. */
  cpu_start = epsimo_bench_cpu_seconds ();
  t_start = g_get_monotonic_time ();
  uploads = epsimo_files_page_upload_files (page, G_LIST_MODEL (files), assistant_id);
  if (uploads->len != 1)
    epsimo_bench_fail ("the page did not take the file");
  upload = g_ptr_array_index (uploads, 0);
  wait_for (upload_over, upload, 3600 * 1000);
  t_end = g_get_monotonic_time ();
  cpu_end = epsimo_bench_cpu_seconds ();
  hwm_after = status_kb ("VmHWM");

  printf ("{\"state\": %u, \"bytes\": %" G_GOFFSET_FORMAT ", \"seconds\": %.3f, "
          "\"mb_per_s\": %.2f, \"rss_before_kb\": %" G_GINT64_FORMAT ", "
          "\"peak_after_kb\": %" G_GINT64_FORMAT ", \"growth_kb\": %" G_GINT64_FORMAT ", "
          "\"peak_reset\": %s, \"cpu_s\": %.3f}\n",
          epsimo_upload_get_state (upload), size, (t_end - t_start) / 1e6,
          size / 1e6 / ((t_end - t_start) / 1e6), rss_before, hwm_after,
          hwm_after - rss_before, peak_reset ? "true" : "false", cpu_end - cpu_start);
  if (epsimo_upload_get_state (upload) != EPSIMO_UPLOAD_DONE)
    fprintf (stderr, "upload failed: %s\n", epsimo_upload_get_error (upload));
  return epsimo_upload_get_state (upload) == EPSIMO_UPLOAD_DONE ? 0 : 1;
}

/* ---- main ----------------------------------------------------------------------------- */

static void G_GNUC_NORETURN
usage (void)
{
  epsimo_bench_fail ("usage: epsimo-bench-app scroll SPEED SECONDS | fling FRAMES | "
        "stream BYTES | upload FILE ASSISTANT_ID");
}

int
main (int   argc,
      char *argv[])
{
  const char *mode;
  int status;

  if (argc < 2)
    usage ();
  mode = argv[1];

  gtk_init ();
  adw_init ();
  start_app ();

  if (strcmp (mode, "scroll") == 0 && argc == 4)
    status = run_scroll (g_ascii_strtod (argv[2], NULL), g_ascii_strtod (argv[3], NULL), 0);
  else if (strcmp (mode, "fling") == 0 && argc == 3)
    status = run_scroll (0, 120, (guint) g_ascii_strtoull (argv[2], NULL, 10));
  else if (strcmp (mode, "stream") == 0 && argc == 3)
    status = run_stream (g_ascii_strtoull (argv[2], NULL, 10));
  else if (strcmp (mode, "upload") == 0 && argc == 4)
    status = run_upload (argv[2], argv[3]);
  else
    usage ();

  fflush (stdout);
  /* The numbers are out: no need to tear the window down tidily. */
  _exit (status);
}
