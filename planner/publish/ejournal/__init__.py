"""The e-journal hand-off: the ЭПОС workbook a person pastes from. See docs/max-and-epos.md."""
