"""AcuEvidence: an evidence platform for acupuncture and related therapies."""

__version__ = "0.1.0"
