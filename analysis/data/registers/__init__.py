"""Case registers of ASN neutrality: codebook, reading, checking, pseudonymising and storing.

Modules: :mod:`.codebook` (the schema); :mod:`.reader` (with :mod:`.workbook_limits`);
:mod:`.check` (with :mod:`.headers`, :mod:`.columns`, :mod:`.cell_content`,
:mod:`.personal_text`, :mod:`.row_rules`, :mod:`.parsing`, :mod:`.coded`, :mod:`.problem`);
:mod:`.pseudonymise`, :mod:`.store`, :mod:`.commands` (``python -m analysis register
check|import``); :mod:`.opening` (a register by name or path, the one way notebooks and the build
open one; the SYNTHETIC demo register in :mod:`.demo` when none is named); the synthetic
generator lives in :mod:`.synth` (calibrated by :mod:`.synth_calibration`).
"""
