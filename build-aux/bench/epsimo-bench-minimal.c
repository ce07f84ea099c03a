/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "epsimo-bench-minimal"

#include "config.h"

#include <string.h>

#include <adwaita.h>

/* The start-up baseline of build-aux/bench: about the least a libadwaita application does to
 * show a window (an AdwApplication on the session bus, an AdwApplicationWindow of the app's
 * default size with a header bar, a title and a status page). Like the app under
 * EPSIMO_BENCH_FILE, it appends "ready <monotonic µs>" to that file after its first frame is
 * painted, then stays open until it is killed (so its peak RSS can be read). */

static void
write_mark (const char *mark)
{
  const char *path = g_getenv ("EPSIMO_BENCH_FILE");
  g_autofree char *line = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;

  if (path == NULL || *path == '\0')
    return;

  /* The time first: writing the file is not part of the frame. */
  line = g_strdup_printf ("%s %" G_GINT64_FORMAT "\n", mark, g_get_monotonic_time ());
  file = g_file_new_for_path (path);
  out = g_file_append_to (file, G_FILE_CREATE_NONE, NULL, NULL);
  if (out != NULL)
    g_output_stream_write_all (G_OUTPUT_STREAM (out), line, strlen (line), NULL, NULL, NULL);
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, user_data);
  write_mark ("ready");
}

static void
on_realize (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);
}

static void
on_activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *status = adw_status_page_new ();

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new ("Minimal", "A libadwaita window"));
  gtk_box_append (GTK_BOX (box), header);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "applications-system-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), "Minimal");
  gtk_widget_set_vexpand (status, TRUE);
  gtk_box_append (GTK_BOX (box), status);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  /* The app's default size (data/com.epsimoagents.Desktop.gschema.xml.in). */
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  app = adw_application_new ("com.epsimoagents.Desktop.BenchMinimal",
                             G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
