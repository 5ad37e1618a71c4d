"""The questions of the main screen that open a page or a dialog of their own: the grid of
pairs drawn side by side, one frontier per group, the best at budgets, the bundle of a pair,
and the claims map. Each asks the session's explorer and draws what the commands draw.

``MainScreen`` is the one screen of this kind: it holds the pair, the date the plot is drawn
as of, the selection, the grid and the pairs joined by their hull, and lists the papers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from textual import work
from textual.widgets import Input
from textual.worker import get_current_worker

from catalog.query.claims_map import ClaimsMap
from catalog.query.explore import Explorer
from catalog.query.select import Selection
from tui.screens.base import SessionScreen
from tui.screens.dialogs import AnswerDialog, AskDialog, ChoiceDialog
from tui.table import plural
from tui.widgets.frontier_plot import LOG_MODES, FrontierPlot
from tui.widgets.plain import notify_plain


class PageQuestions(SessionScreen):
    """A screen that asks the questions below of its pair and listed papers."""

    pair: str | None
    """The pair plotted, or None."""
    as_of: str | None
    """The date the plot is drawn as of, or None: today."""
    selection: Selection | None
    """The papers the last finished search selected."""
    grid: list[str]
    """The pairs of the grid (``g`` adds the current one), drawn side by side by ``G``."""
    _hull_pairs: set[str]

    def listed_ids(self) -> list[str]:
        """The listed papers' ids, in list order."""
        raise NotImplementedError

    def _shown(self) -> tuple[list[str], tuple[tuple[str, str], ...]]:
        """The papers the plot is drawn for (the listed ones, published by its date when it has
        one) and the conditions the query asks of their points."""
        ids = self.listed_ids()
        if self.as_of is not None:
            ids = self.session.explorer.published_by(self.as_of, ids)
        return ids, self.selection.query.conditions if self.selection else ()

    def _drawn_as(self, hull: bool) -> dict[str, Any]:
        """How a page draws its plots: this view's query (which the hints repeat), its log
        scales, and the hull or steps."""
        log_x, log_y = LOG_MODES[self.query_one(FrontierPlot).log_mode]
        return {"query": self.query_one("#search", Input).value, "log_x": log_x, "log_y": log_y, "hull": hull}

    def _page(self, title: str, papers: int, draw: Callable[[int], str]) -> None:
        """Open a page of drawn text, its title saying for how many papers (and as of when)."""
        from tui.screens.panel import PanelScreen

        when = f" as of {self.as_of}" if self.as_of else ""
        self.app.push_screen(PanelScreen(f"{title} for the {plural(papers, 'listed paper')}{when}", draw))

    def action_grid_pair(self) -> None:
        """Add the current pair to the grid, or take it out."""
        if self.pair is None:
            notify_plain(self, "Pick a pair first (p).")
            return
        if self.pair in self.grid:
            self.grid.remove(self.pair)
            said = f"Took {self.pair} out of the grid"
        else:
            self.grid.append(self.pair)
            said = f"Added {self.pair} to the grid"
        notify_plain(self, f"{said} ({plural(len(self.grid), 'pair')}; G shows it).")

    def action_show_grid(self) -> None:
        """Draw the grid's pairs side by side for the listed papers, with this view's scales."""
        if not self.grid:
            notify_plain(self, "The grid is empty: g adds the current pair to it.")
            return
        from tui.commands.plot import multiples_text

        store, specs = self.session.explorer.store, list(self.grid)
        selection = self._shown()
        drawn = self._drawn_as(hull=all(spec in self._hull_pairs for spec in specs))
        height = max(12, min(24, self.size.height - 8))

        def draw(width: int) -> str:
            return multiples_text(store, specs, selection, (width, height), **drawn)

        self._page(f"Grid: {plural(len(specs), 'pair')}", len(selection[0]), draw)

    def action_groups(self) -> None:
        """Choose how to group this pair's points, then draw one frontier per group."""
        plot = self.query_one(FrontierPlot)
        if self.pair is None or not plot.points:
            notify_plain(self, "Pick a pair with points first (p).")
            return
        stated = sorted({key for p in plot.points for key in p["conditions"]})
        choices = [("paper", "by paper"), ("tag", "by tag (a point is in each of its paper's tags)")]
        choices += [(key, f"by {key} (a condition the points state)") for key in stated]
        pair = self.pair

        def chosen(key: str | None) -> None:
            if key:
                self._show_groups(pair, key)

        self.app.push_screen(ChoiceDialog(f"One frontier per group, on {pair}", choices), chosen)

    def _show_groups(self, pair: str, key: str) -> None:
        from tui.commands.plot import groups_text

        store, selection = self.session.explorer.store, self._shown()
        drawn = self._drawn_as(hull=pair in self._hull_pairs)
        height = max(16, min(30, self.size.height - 8))

        def draw(width: int) -> str:
            return groups_text(store, pair, key, selection, (width, height), **drawn)

        self._page(f"{pair}: one frontier per {key},", len(selection[0]), draw)

    def action_budgets(self) -> None:
        """Ask for budgets of the first objective, then say the best second one at each."""
        if self.pair is None:
            notify_plain(self, "Pick a pair first (p).")
            return
        pair = self.pair
        first = pair.split(":")[0]
        ids, conditions = self._shown()

        def given(text: str | None) -> None:
            if not text:
                return
            try:
                budgets = [float(part) for part in text.replace(" ", ",").split(",") if part]
            except ValueError:
                notify_plain(
                    self, f"Budgets are numbers separated by commas, not {text!r}.", severity="error"
                )
                return
            if not budgets or not all(math.isfinite(b) for b in budgets):
                notify_plain(self, "Give one or more finite numbers, separated by commas.", severity="error")
                return
            self.find_budgets(self.session.explorer, pair, ids, conditions, budgets)

        self.app.push_screen(
            AskDialog(f"Best at budgets of {first}, on {pair}", "numbers, as in 2000,4000"), given
        )

    @work(thread=True, exclusive=True, group="budgets", name="budgets", exit_on_error=False)
    def find_budgets(
        self,
        explorer: Explorer,
        pair: str,
        ids: list[str],
        conditions: tuple[tuple[str, str], ...],
        budgets: list[float],
    ) -> None:
        """Read the frontier at each budget off the UI thread, then say what it found."""
        lines = explorer.budgets(pair, ids, conditions, budgets)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(
                self.app.push_screen, AnswerDialog(f"Best at budgets, on {pair}", lines)
            )

    def action_bundle(self) -> None:
        """Ask for a folder, then write this pair's bundle there, as ``tradeoffs bundle`` does."""
        if self.pair is None:
            notify_plain(self, "Pick a pair first (p).")
            return
        pair = self.pair
        suggested = "".join(c if c.isalnum() else "-" for c in pair).strip("-") + "-frontier"

        def given(folder: str | None) -> None:
            if folder and folder.strip():
                self._write_bundle(pair, folder.strip())

        title = f"Bundle {pair}'s frontier into a folder (a new or empty one)"
        self.app.push_screen(AskDialog(title, "a folder", suggested), given)

    def _write_bundle(self, pair: str, folder: str) -> None:
        """Gather how this view draws the pair, then write the bundle off the UI thread."""
        import argparse

        from tui.commands.base import catalog_arguments

        drawn = self._drawn_as(hull=pair in self._hull_pairs)
        no_default, catalogs = catalog_arguments(self.session.catalog_paths)
        args = argparse.Namespace(
            pair=pair, output=folder, as_of=self.as_of, width=None, height=None, **drawn
        )
        # The README's command line reads this catalog too.
        args.query, args.no_default, args.catalog = args.query or None, no_default, catalogs
        notify_plain(self, f"Writing the bundle of {pair} into {folder}…", timeout=3)
        self.writing_bundle(self.session.explorer, args, self._shown())

    @work(thread=True, exclusive=True, group="bundle", name="bundle", exit_on_error=False)
    def writing_bundle(
        self, explorer: Explorer, args: Any, shown: tuple[list[str], tuple[tuple[str, str], ...]]
    ) -> None:
        """Write the bundle (its plot holds plotext's figure while it is drawn), then say where."""
        import io

        from tui.commands.base import Failed
        from tui.commands.bundle import write_bundle

        said = io.StringIO()
        try:
            write_bundle(explorer.store, args, shown, said)
        except Failed as err:
            self.app.call_from_thread(notify_plain, self, str(err), severity="error", timeout=15)
            return
        except OSError as err:
            message = f"Could not write the bundle: {err}"
            self.app.call_from_thread(notify_plain, self, message, severity="error", timeout=15)
            return
        last = said.getvalue().strip().splitlines()[-1]
        self.app.call_from_thread(notify_plain, self, last, title="Bundle written", timeout=10)

    def action_claims_map(self) -> None:
        """Find the listed papers' claims off the UI thread, then show their map."""
        self.find_claims(self.session.explorer, *self._shown())

    @work(thread=True, exclusive=True, group="claims", name="claims", exit_on_error=False)
    def find_claims(
        self, explorer: Explorer, ids: list[str], conditions: tuple[tuple[str, str], ...]
    ) -> None:
        """The claims map's claims, found off the UI thread; the page draws the map."""
        answer = explorer.claims(ids, conditions)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._claims_found, answer, len(ids))

    def _claims_found(self, answer: ClaimsMap, listed: int) -> None:
        from tui.claims_plot import claims_map_text

        height = max(12, min(20, self.size.height - 10))
        self._page(
            "Claims map: gains against their own baselines",
            listed,
            lambda w: claims_map_text(answer, w, height),
        )
