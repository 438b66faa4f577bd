"""Write the labelled extraction set (NNN.txt + NNN.json) from the annotated texts below.

The texts are our own sentences, written after reading many published abstracts to
reproduce their notations and layouts (numbers are realistic; #001 carries the
seed study's real numbers). Each number a reader would extract is marked inline
as ``[[tag:values|printed text]]``; the marker is removed from the .txt and its
span and values go to the .json, in the shape printed by
``acuevidence extract --json``. Tags:

    ms:mean,sd            mean ± SD / mean (SD)
    mi:median,q1,q3       median (IQR)
    pr:events,total,pct   n/N (%) (empty fields are null)
    ci:lower,upper        a confidence interval (level 95 unless ci90: ...)
    p:relation,value      a p-value
    d:measure,estimate    a between-group difference or ratio
    N:value               the total number randomised / enrolled

Arms, design and conditions are given per abstract. Run from the repository root:
``python benchmarks/data/extraction/annotate.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
_MARK = re.compile(r"\[\[(?P<tag>[A-Za-z0-9]+):(?P<values>[^|\]]*)\|(?P<printed>[^\]]*)\]\]")
_RATIOS = {"RR", "OR", "HR", "IRR"}

# (design, n_total, arms [(label, n, therapy)], conditions, text)
ABSTRACTS: list[
    tuple[str | None, int | None, list[tuple[str, int | None, str | None]], list[str], str]
] = [
    (
        "rct",
        102,
        [
            ("treatment group", 51, "ultrasound-guided-acupotomy"),
            ("control group", 51, "usual-care"),
        ],
        ["post-stroke-hemiplegia"],
        """Single-session ultrasound-guided acupotomy added to acupuncture for post-stroke hemiplegia: a randomized controlled trial
In this randomized controlled trial ([[N:102|n=102]]), patients with hemiplegia after stroke were allocated to a treatment group (n=51) that received ultrasound-guided acupotomy once, plus acupuncture and rehabilitation, or to a control group (n=51) given standard care alone, over 4 weeks with a 6-month follow-up. At 6 months the Shangtianmin hemiplegia function scale favoured the treatment group: upper limb scores [[ms:8.86,2.86|8.86±2.86]] vs. [[ms:6.08,3.99|6.08±3.99]] ([[d:MD,2.78|difference 2.78]]; [[ci:1.42,4.15|95% CI 1.42–4.15]]; [[p:<,0.001|p<0.001]]) and lower limb scores [[ms:10.35,1.80|10.35±1.80]] vs. [[ms:6.86,3.04|6.86±3.04]] ([[d:MD,3.49|difference 3.49]]; [[ci:2.51,4.47|95% CI 2.51–4.47]]; [[p:<,0.001|p<0.001]]). Neurological deficit, ADL and modified Ashworth scores also favoured the treatment group.""",
    ),
    (
        "rct",
        638,
        [
            ("individualized acupuncture", 157, "acupuncture"),
            ("standardized acupuncture", 158, "acupuncture"),
            ("simulated acupuncture", 162, "sham-acupuncture"),
            ("usual care", 161, "usual-care"),
        ],
        ["chronic-low-back-pain"],
        """Needling styles compared with usual care for chronic low back pain
Importance  Whether needle insertion matters for back pain is debated.
Design, Setting, and Participants  Randomized clinical trial at two integrated health systems; [[N:638|638 adults]] with chronic mechanical low back pain were enrolled.
Interventions  Individualized acupuncture (n = 157), standardized acupuncture (n = 158), simulated acupuncture with a toothpick (n = 162), or usual care (n = 161); 10 sessions over 7 weeks.
Results  At 8 weeks, mean Roland-Morris Disability Questionnaire scores fell by 4.4, 4.5 and 4.4 points in the three needling groups and by 2.1 points with usual care. Compared with usual care, simulated acupuncture improved function ([[d:MD,-2.3|difference, −2.3]] [[[ci:-3.4,-1.2|95% CI, −3.4 to −1.2]]]; [[p:<,0.001|P < .001]]), as did individualized acupuncture ([[d:MD,-2.2|difference, −2.2]] [[[ci:-3.3,-1.1|95% CI, −3.3 to −1.1]]]; [[p:<,0.001|P < .001]]).""",
    ),
    (
        "rct",
        150,
        [
            ("acupuncture", 50, "acupuncture"),
            ("sham acupuncture", 50, "sham-acupuncture"),
            ("usual care", 50, "usual-care"),
        ],
        ["migraine"],
        """Manual acupuncture for prophylaxis of episodic migraine without aura: a multicentre randomised trial
Background Migraine prophylaxis with drugs is often poorly tolerated.
Methods We randomly assigned [[N:150|150 participants]] (1:1:1) to acupuncture (n=50), sham acupuncture (n=50) or usual care (n=50) for 20 sessions over 8 weeks. The primary outcome was the change in monthly migraine days from baseline to weeks 13–20.
Findings Monthly migraine days fell by [[ms:3.2,2.1|3.2 (2.1)]] with acupuncture and by [[ms:1.4,2.5|1.4 (2.5)]] with sham acupuncture ([[d:MD,1.8|difference 1·8]] days, [[ci:0.9,2.7|95% CI 0·9–2·7]]; [[p:=,0.0002|p=0·0002]]). Responder rates were [[pr:23,50,46|23/50 (46%)]] and [[pr:9,50,18|9/50 (18%)]] ([[d:OR,3.88|odds ratio 3·88]], [[ci:1.56,9.64|95% CI 1·56–9·64]]).
Interpretation Acupuncture reduced migraine frequency more than sham.""",
    ),
    (
        "rct",
        60,
        [("treatment group", 30, "electroacupuncture"), ("control group", 30, "drug")],
        ["post-stroke-dysphagia"],
        """Electroacupuncture for dysphagia after stroke: a randomized controlled study
Objective To observe the effect of electroacupuncture on post-stroke dysphagia. Methods [[N:60|Sixty patients]] were randomly divided into a treatment group and a control group, 30 cases in each group. The treatment group received electroacupuncture at Lianquan (CV 23) with a frequency of 2 Hz for 30 min, once a day; the control group received routine medication. Results After 4 weeks, the water swallow test score in the treatment group was ([[ms:1.87,0.73|1.87±0.73]]) points, lower than ([[ms:2.63,0.89|2.63±0.89]]) points in the control group ([[p:<,0.01|P<0.01]]). The total effective rate was [[pr:,,93.3|93.3%]] in the treatment group and [[pr:,,73.3|73.3%]] in the control group ([[p:<,0.05|P<0.05]]). Conclusion Electroacupuncture improves swallowing function.""",
    ),
    (
        "protocol",
        None,
        [],
        ["obesity"],
        """Transcutaneous auricular vagus nerve stimulation for obesity: protocol for a randomized sham-controlled trial
Introduction Obesity is linked to altered signalling along the gut-brain axis. Methods and analysis This trial will randomly allocate adults with obesity to active or sham stimulation delivered twice daily for twelve weeks. The primary outcome is the change in body weight; secondary outcomes include body mass index, the Food Craving Questionnaire, gut microbiota composition and resting-state functional MRI. Ethics and dissemination The protocol was approved by the institutional ethics committee, and results will be published in peer-reviewed journals. Trial registration ChiCTR2300071234.""",
    ),
    (
        "systematic_review",
        1024,
        [],
        ["chronic-spontaneous-urticaria"],
        """Acupuncture for chronic urticaria: a systematic review and meta-analysis
Objective To assess acupuncture for chronic urticaria. Methods We searched eight databases to March 2023 for randomised trials. Results Twelve trials with [[N:1024|1,024 participants]] were included. Compared with antihistamines, acupuncture lowered urticaria activity scores ([[d:SMD,-0.45|SMD −0.45]], [[ci:-0.70,-0.20|95% CI −0.70 to −0.20]]; I2 = 45%) and improved quality of life ([[d:MD,-2.10|MD −2.10]], [[ci:-3.05,-1.15|95% CI −3.05 to −1.15]]). The relapse rate was lower ([[d:RR,0.56|RR 0.56]], [[ci:0.40,0.79|95% CI 0.40 to 0.79]], [[p:=,0.001|P = 0.001]]). Conclusions Low-certainty evidence suggests benefit.""",
    ),
    (
        "rct",
        250,
        [("acupuncture group", 125, "acupuncture"), ("sham group", 125, "sham-acupuncture")],
        ["knee-osteoarthritis"],
        """Acupuncture versus sham for knee osteoarthritis
[[N:250|Two hundred fifty patients]] with knee osteoarthritis were randomly assigned to the acupuncture group (n = 125) or the sham group (n = 125) and treated three times a week for 8 weeks. At week 8, WOMAC pain improved by [[ms:2.9,2.4|2.9 ± 2.4]] in the acupuncture group and by [[ms:2.1,2.2|2.1 ± 2.2]] in the sham group ([[d:MD,0.8|mean difference 0.8]], [[ci:0.2,1.4|95% CI 0.2 to 1.4]]; [[p:=,0.01|P = 0.01]]). Adverse events were mild.""",
    ),
    (
        "rct",
        102,
        [
            ("electroacupuncture group", 51, "electroacupuncture"),
            ("manual acupuncture group", 51, "manual-acupuncture"),
        ],
        ["insomnia"],
        """Electroacupuncture or manual acupuncture for primary insomnia: randomized trial
METHODS: Adults aged 18 to 65 years with primary insomnia were randomized to an electroacupuncture group or a manual acupuncture group, with 51 patients in each group; treatment was given 3 times weekly for 4 weeks (registration NCT04123456).
RESULTS: At the end of treatment, PSQI scores were [[ms:7.12,2.35|7.12 ± 2.35]] and [[ms:8.43,2.61|8.43 ± 2.61]], respectively ([[p:=,0.009|P = 0.009]]). Insomnia Severity Index scores did not differ ([[p:=,0.228|p=0.228]]).
CONCLUSIONS: Electroacupuncture improved sleep quality more than manual acupuncture.""",
    ),
    (
        "rct",
        120,
        [("TEAS group", 60, "teas"), ("sham TEAS group", 60, "sham-acupuncture")],
        ["postoperative-nausea-vomiting"],
        """Transcutaneous electrical acupoint stimulation and postoperative nausea and vomiting after laparoscopic surgery
A total of [[N:120|120]] women scheduled for gynaecological laparoscopy were randomized to a TEAS group (n=60) or a sham TEAS group (n=60). Stimulation at P6 and ST36 (2/100 Hz, 30 min) started before induction. The incidence of PONV within 24 h was [[pr:18,60,30.0|18/60 (30.0%)]] with TEAS and [[pr:33,60,55.0|33/60 (55.0%)]] with sham ([[d:RR,0.55|RR 0.55]] [[[ci:0.34,0.87|0.34 to 0.87]]]; [[p:=,0.006|P = .006]]). Rescue antiemetic use was [[pr:8,,13.3|8 (13.3%)]] versus [[pr:19,,31.7|19 (31.7%)]].""",
    ),
    (
        "rct",
        84,
        [("acupuncture", 42, "acupuncture"), ("waitlist", 42, "waitlist")],
        ["menopausal-hot-flushes"],
        """Acupuncture for menopausal hot
flushes: a pragmatic randomised trial
BACKGROUND:  Many women seek alternatives to hormone therapy.  METHODS:  [[N:84|Eighty-four women]] aged 45-60 years were randomised to acupuncture (n=42) or a waitlist (n=42); needles were retained for 20
minutes twice weekly.  RESULTS:  After 12 weeks the hot flush score decreased from [[ms:19.8,6.1|19.8 ± 6.1]] to [[ms:9.7,5.4|9.7 ± 5.4]] in
the acupuncture group and from [[ms:20.3,7.0|20.3 ± 7.0]] to [[ms:17.9,6.8|17.9 ± 6.8]] in the waitlist group
([[p:<,0.001|p < 0.001]]). The Kupperman index showed the same pattern ([[p:=,0.002|p = 0.002]]).""",
    ),
    (
        "rct",
        90,
        [
            ("acupuncture group", 30, "acupuncture"),
            ("sham acupuncture group", 30, "sham-acupuncture"),
            ("waitlist group", 30, "waitlist"),
        ],
        ["chronic-spontaneous-urticaria"],
        """Acupuncture for chronic spontaneous urticaria: a three-arm randomized trial
Ninety participants were randomly allocated to an acupuncture group, a sham acupuncture group or a waitlist group (30 per group). After four weeks the UAS7 fell to [[ms:12.4,8.2|12.4 (8.2)]] with acupuncture, [[ms:18.9,9.1|18.9 (9.1)]] with sham and [[ms:22.6,8.7|22.6 (8.7)]] on the waitlist (mean [SD]); DLQI improved by a median of [[mi:5,2,8|5 (IQR 2–8)]] versus [[mi:2,0,4|2 (IQR 0–4)]] for sham. The difference between acupuncture and sham in UAS7 was [[d:MD,-6.5|−6.5]] ([[ci:-10.9,-2.1|95% CI −10.9 to −2.1]]; [[p:=,0.004|P = .004]]).""",
    ),
    (
        "observational",
        1862,
        [],
        ["depression"],
        """Acupuncture use and later antidepressant prescriptions: a retrospective cohort study
Using a national claims database we identified [[N:1862|1862 adults]] newly diagnosed with depression between 2012 and 2018, of whom 931 received acupuncture within 6 months. Acupuncture users had a lower rate of long-term antidepressant use ([[d:HR,0.78|hazard ratio (HR), 0.78]]; [[ci:0.66,0.92|95% CI, 0.66-0.92]]). Age (mean [[ms:47.3,12.8|47.3 ± 12.8]] years) and sex were balanced after propensity matching.""",
    ),
    (
        "crossover",
        24,
        [("acupressure", None, "acupressure"), ("sham acupressure", None, "sham-acupuncture")],
        ["chemotherapy-induced-nausea-vomiting"],
        """P6 acupressure wristbands for chemotherapy-induced nausea: a randomized crossover trial
In this double-blind crossover trial, [[N:24|24 patients]] receiving moderately emetogenic chemotherapy wore active or sham acupressure wristbands during consecutive cycles in random order. Nausea scores on a 0-10 scale were [[ms:3.1,1.9|3.1 ± 1.9]] with active and [[ms:4.0,2.2|4.0 ± 2.2]] with sham bands ([[p:=,0.03|P = .03]]); vomiting episodes did not differ ([[p:>,0.05|P > .05]]).""",
    ),
    (
        "cluster",
        1200,
        [],
        ["chronic-low-back-pain"],
        """Cluster randomised trial of a primary-care acupuncture referral pathway
Forty general practices were cluster randomised to offer an acupuncture referral pathway or usual care; [[N:1200|1200 patients]] with low back pain took part. At 12 months the RMDQ was lower in intervention practices (adjusted [[d:MD,-1.1|mean difference −1.1]], [[ci:-2.0,-0.2|95% CI −2.0 to −0.2]]). The proportion with at least 30% improvement was [[pr:312,598,52.2|312 of 598 (52.2%)]] versus [[pr:265,602,44.0|265 of 602 (44.0%)]] ([[d:OR,1.39|OR 1.39]], [[ci:1.10,1.76|95% CI 1.10-1.76]]).""",
    ),
    (
        None,
        None,
        [],
        ["stroke"],
        """Acupuncture and stroke rehabilitation: where do we stand?
Acupuncture is widely offered alongside rehabilitation after stroke, particularly in East Asia. This narrative overview discusses proposed mechanisms, the design of sham controls, blinding of assessors and the choice of functional outcomes such as the Fugl-Meyer Assessment and the Barthel Index. We argue that future trials should pre-register their primary outcome, report between-group differences with confidence intervals, and follow participants for long enough to observe durable change.""",
    ),
    (
        "rct",
        80,
        [("scalp acupuncture group", 40, "scalp-acupuncture"), ("control group", 40, "usual-care")],
        ["post-stroke-hemiplegia"],
        """Scalp acupuncture plus rehabilitation for hemiparesis following stroke
Objective: To evaluate scalp acupuncture combined with rehabilitation in post-stroke hemiparesis. Methods: [[N:80|80 patients]] were randomized into a scalp acupuncture group (n=40) and a control group (n=40); the control group received conventional rehabilitation only. Fugl-Meyer (FMA) and Barthel Index (BI) were assessed before and after 6 weeks. Results: After treatment, FMA in the scalp acupuncture group was [[ms:62.35,10.27|62.35±10.27]], higher than [[ms:54.18,11.46|54.18±11.46]] in the control group ([[p:<,0.05|P<0.05]]); BI was [[ms:71.50,12.30|71.50±12.30]] vs [[ms:63.25,13.85|63.25±13.85]] ([[p:<,0.05|P<0.05]]).""",
    ),
    (
        "rct",
        96,
        [("laser acupuncture", 48, "laser-acupuncture"), ("placebo laser", 48, "placebo")],
        ["carpal-tunnel-syndrome"],
        """Laser acupuncture for mild to moderate carpal tunnel syndrome: a double-blind randomized controlled trial
Patients (n = [[N:96|96]]) were randomized to laser acupuncture (n = 48) or placebo laser (n = 48), 12 sessions over 4 weeks (wavelength 808 nm). The Boston symptom severity score changed by [[ms:-0.71,0.52|−0.71 (SD 0.52)]] and [[ms:-0.38,0.49|−0.38 (SD 0.49)]] respectively ([[d:MD,-0.33|between-group difference −0.33]]; [[ci:-0.53,-0.13|95% CI, −0.53 to −0.13]]; [[p:=,0.001|P=0.001]]). Grip strength was unchanged.""",
    ),
    (
        "rct",
        160,
        [("moxibustion group", 80, "moxibustion"), ("drug group", 80, "drug")],
        ["irritable-bowel-syndrome"],
        """Moxibustion for diarrhoea-predominant irritable bowel syndrome
One hundred and sixty patients with IBS-D were randomly assigned to a moxibustion group or a drug group (pinaverium 50 mg three times daily), 80 in each. After 6 weeks, the IBS symptom severity score decreased more with moxibustion ([[ms:132.6,58.4|132.6 ± 58.4]] vs [[ms:171.9,63.7|171.9 ± 63.7]], [[p:<,0.001|P < 0.001]]). Adequate relief occurred in [[pr:52,80,65.0|65.0% (52/80)]] and [[pr:38,80,47.5|47.5% (38/80)]] of patients ([[p:=,0.026|P = 0.026]]).""",
    ),
    (
        "rct",
        278,
        [
            ("acupuncture group", 139, "acupuncture"),
            ("sham acupuncture group", 139, "sham-acupuncture"),
        ],
        ["functional-dyspepsia"],
        """Acupuncture for postprandial distress syndrome: a randomized clinical trial
Importance: Evidence for acupuncture in functional dyspepsia is limited. Participants: Of 712 patients screened, [[N:278|278]] were randomized (139 to the acupuncture group and 139 to the sham acupuncture group). Main outcomes: responder rate at week 4. Results: The responder rate was [[pr:116,139,83.5|83.5% (116/139)]] vs [[pr:68,139,48.9|48.9% (68/139)]] ([[d:RD,34.5|difference, 34.5%]]; [[ci:24.0,45.0|95% CI, 24.0%-45.0%]]; [[p:<,0.001|P < .001]]). Elimination of symptoms was more frequent with acupuncture ([[d:OR,2.65|odds ratio, 2.65]]; [[ci:1.58,4.44|95% CI, 1.58-4.44]]).""",
    ),
    (
        "rct",
        40,
        [("dry needling group", 20, "dry-needling"), ("control group", 20, None)],
        ["neck-pain"],
        """Dry needling for chronic neck pain with myofascial trigger points
Forty office workers were randomized into a dry needling group (n=20) and a control group (n=20) receiving stretching only. Neck pain on a 100-mm VAS decreased to a median of [[mi:22,15,35|22 (15, 35)]] mm after dry needling and [[mi:41,30,52|41 (30, 52)]] mm after stretching (median [IQR]; [[p:=,0.002|P = 0.002]]); NDI scores were [[ms:9.4,4.1|9.4 (4.1)]] and [[ms:13.2,4.8|13.2 (4.8)]] (mean [SD]).""",
    ),
    (
        "rct",
        300,
        [("EA group", 150, "electroacupuncture"), ("sham EA group", 150, "sham-acupuncture")],
        ["functional-constipation"],
        """Electroacupuncture for severe chronic functional constipation: a multicentre randomized controlled trial
[[N:300|Three hundred]] participants were randomized 1:1 to 24 sessions of electroacupuncture (EA group) or sham electroacupuncture (sham EA group) over 8 weeks. The proportion with three or more complete spontaneous bowel movements per week over weeks 3-8 was [[pr:,,31.3|31.3%]] with EA and [[pr:,,12.1|12.1%]] with sham ([[d:RD,19.2|difference 19.2]] percentage points, [[ci:10.1,28.3|95% CI 10.1 to 28.3]]; [[p:<,0.001|P<0.001]]).""",
    ),
    (
        "rct",
        72,
        [("acupuncture group", 36, "acupuncture"), ("medication group", 36, "drug")],
        ["dysmenorrhea"],
        """Acupuncture versus ibuprofen for primary dysmenorrhoea
Seventy-two young women were randomly divided into an acupuncture group and a medication group, 36 cases each. Acupuncture at SP6 and CV4 began 5 days before menstruation for 3 cycles; the medication group took ibuprofen 400 mg. Pain intensity (VAS, 0-10) in the third cycle was [[ms:2.8,1.4|2.8±1.4]] vs. [[ms:3.6,1.7|3.6±1.7]] ([[p:=,0.03|p=0.03]]). Serum prostaglandin F2α fell in both groups.""",
    ),
    (
        "rct",
        64,
        [("verum group", 32, "acupuncture"), ("sham group", 32, "sham-acupuncture")],
        ["allergic-rhinitis"],
        """Acupuncture for seasonal allergic rhinitis
A  total of [[N:64|64]] patients were randomized to verum (verum group, n = 32) or sham acupuncture (sham group, n = 32), 12 sessions over 8 weeks. The Rhinitis Quality of Life score improved by [[ms:1.25,0.94|1.25 ± 0.94]] versus [[ms:0.72,0.88|0.72 ± 0.88]]
([[d:MD,0.53|MD 0.53]]; [[ci:0.07,0.99|95% CI 0.07-0.99]];  [[p:=,0.024|p = 0.024]]). Antihistamine use did not differ (p = n.s.).""",
    ),
    (
        "rct",
        504,
        [
            ("electroacupuncture", 252, "electroacupuncture"),
            ("sham electroacupuncture", 252, "sham-acupuncture"),
        ],
        ["stress-urinary-incontinence"],
        """Electroacupuncture for stress urinary incontinence in women
In a randomized clinical trial, [[N:504|504 women]] with stress urinary incontinence were assigned to electroacupuncture (n = 252) or sham electroacupuncture (n = 252). Urine leakage on the 1-hour pad test decreased by [[ms:9.9,17.3|9.9 g (17.3)]] and [[ms:2.6,18.3|2.6 g (18.3)]], respectively ([[d:MD,7.4|difference, 7.4 g]]; [[ci:4.8,10.0|95% CI, 4.8-10.0]]; [[p:<,0.001|P < .001]]).""",
    ),
    (
        "rct",
        66,
        [("auricular acupuncture group", 33, "auricular-acupuncture"), ("control group", 33, None)],
        ["anxiety"],
        """Auricular acupuncture for preoperative anxiety
Sixty-six adults awaiting day surgery were randomized, 33 per group, to auricular acupuncture or no intervention (control group). HAMA scores 30 min before surgery were [[ms:10.2,3.1|10.2 ± 3.1]] and [[ms:14.8,3.9|14.8 ± 3.9]] ([[p:<,0.001|P < .001]]); the STAI-S showed a similar difference ([[d:MD,-6.2|mean difference −6.2]]; [[ci:-8.9,-3.5|95% CI −8.9 to −3.5]]).""",
    ),
    (
        "rct",
        140,
        [("taVNS group", 70, "tavns"), ("sham taVNS group", 70, "sham-tavns")],
        ["depression"],
        """Transcutaneous auricular vagus nerve stimulation for mild to moderate depression
[[N:140|One hundred forty]] outpatients were randomly assigned to taVNS (taVNS group, n=70) or sham stimulation (sham taVNS group, n=70), 30 minutes twice a day for 8 weeks at 20 Hz. HAMD-17 scores at week 8 were [[ms:9.6,4.3|9.6 ± 4.3]] and [[ms:13.1,5.0|13.1 ± 5.0]] ([[d:MD,-3.5|adjusted difference −3.5]], [[ci:-5.1,-1.9|95% CI −5.1 to −1.9]], [[p:<,0.001|P<.001]]). Response rates were [[pr:38,,54.3|38 (54.3%)]] and [[pr:22,,31.4|22 (31.4%)]] ([[d:RR,1.73|risk ratio 1.73]]; [[ci:1.15,2.59|95% CI 1.15 to 2.59]]).""",
    ),
    (
        "rct",
        328,
        [("acupuncture group", 163, "acupuncture"), ("control group", 165, None)],
        ["infertility"],
        """Acupuncture on the day of embryo transfer and live birth after IVF
We randomized [[N:328|328]] women undergoing in vitro fertilisation to acupuncture around embryo transfer (n = 163) or no additional treatment (control group, n = 165). Live birth occurred in [[pr:59,163,36.2|59 of 163 (36.2%)]] and [[pr:55,165,33.3|55 of 165 (33.3%)]] women ([[d:RR,1.09|RR 1.09]], [[ci:0.80,1.47|95% CI 0.80–1.47]]; [[p:=,0.59|P = 0.59]]). Clinical pregnancy rates were similar ([[p:=,0.44|P = .44]]).""",
    ),
    (
        "rct",
        60,
        [("cupping group", 30, "cupping"), ("waiting list group", 30, "waitlist")],
        ["neck-pain"],
        """Dry cupping for chronic non-specific neck pain
Sixty patients were randomized to a cupping group or a waiting list group (n=30 each). After 4 weeks pain intensity (VAS 0-100 mm) was [[ms:28.4,17.2|28.4 (17.2)]] vs. [[ms:49.6,20.5|49.6 (20.5)]] (mean (SD); [[p:<,0.001|p<0.001]]) and pain on motion was also lower ([[d:MD,-12.4|MD -12.4]]; [[ci:-20.7,-4.1|95% CI -20.7 to -4.1]]).""",
    ),
    (
        "rct",
        88,
        [("acupuncture group", 44, "acupuncture"), ("sham group", 44, "sham-acupuncture")],
        ["tension-type-headache"],
        """Acupuncture for chronic tension-type headache
METHODS: [[N:88|88]] patients (mean age [[ms:41.6,10.9|41.6 ± 10.9]] years) were randomised to acupuncture (acupuncture group, n = 44) or minimal needling (sham group, n = 44).
RESULTS: Headache days per month fell from [[ms:16.2,5.3|16.2 ± 5.3]] to [[ms:9.1,6.0|9.1 ± 6.0]] with acupuncture and from [[ms:15.8,5.6|15.8 ± 5.6]] to [[ms:12.4,6.3|12.4 ± 6.3]] with sham ([[p:=,0.008|P=.008]]).""",
    ),
    (
        "rct",
        120,
        [("acupuncture group", 60, "acupuncture"), ("control group", 60, None)],
        ["post-stroke-spasticity"],
        """Acupuncture for spasticity after stroke: randomized trial
A total of [[N:120|120]] patients with post-stroke spasticity were randomized (60 in the acupuncture group, 60 in the control group). At day 28, modified Ashworth scale grade improved in [[pr:41,60,68.3|41/60 (68.3%)]] vs. [[pr:26,60,43.3|26/60 (43.3%)]] ([[d:OR,2.82|OR=2.82]], [[ci:1.33,5.97|95%CI: 1.33-5.97]], [[p:=,0.007|P=0.007]]). FMA-UE scores were [[ms:38.5,9.8|38.5±9.8]] and [[ms:33.1,10.4|33.1±10.4]] ([[p:=,0.004|P=0.004]]).""",
    ),
    (
        "systematic_review",
        None,
        [],
        ["post-stroke-hemiplegia"],
        """Electroacupuncture for motor recovery after ischaemic stroke: a meta-analysis of randomized controlled trials
We searched PubMed, Embase, CNKI and Wanfang for randomized trials of electroacupuncture in ischaemic stroke. Twenty-two trials were included. Electroacupuncture plus rehabilitation improved Fugl-Meyer scores ([[d:MD,6.42|MD 6.42]], [[ci:4.31,8.53|95% CI [4.31, 8.53]]]; [[p:<,0.00001|P < 0.00001]]; I² = 78%) and Barthel Index ([[d:MD,8.15|MD 8.15]], [[ci:5.62,10.68|95% CI [5.62, 10.68]]]). Heterogeneity was substantial.""",
    ),
    (
        "rct",
        45,
        [
            ("acupuncture group", 15, "acupuncture"),
            ("sham group", 15, "sham-acupuncture"),
            ("control group", 15, None),
        ],
        ["parkinson-disease"],
        """Acupuncture for fatigue in Parkinson's disease: a pilot randomized trial
Forty-five patients were randomized (15 per group) to real acupuncture (acupuncture group), sham acupuncture (sham group) or no needling (control group). The Parkinson Fatigue Scale improved by a median of [[mi:-0.65,-1.10,-0.20|−0.65 (IQR −1.10 to −0.20)]] in the acupuncture group and [[mi:-0.40,-0.90,0.05|−0.40 (IQR −0.90 to 0.05)]] in the sham group ([[p:=,0.31|P = .31]]). No serious adverse events occurred.""",
    ),
    (
        "rct",
        200,
        [("acupuncture group", 100, "acupuncture"), ("control group", 100, "usual-care")],
        ["cancer-pain"],
        """Acupuncture added to analgesics for cancer pain
[[N:200|Two hundred]] patients with moderate cancer pain were randomised to acupuncture plus usual analgesia (acupuncture group, n=100) or usual analgesia alone (control group, n=100). NRS pain at day 14: [[ms:3.2,1.5|3.2 (1.5)]] vs [[ms:4.1,1.8|4.1 (1.8)]]; [[d:MD,-0.9|MD −0.9]] ([[ci:-1.36,-0.44|95% CI: −1.36, −0.44]]), [[p:<,0.001|p < 0.001]]. Opioid dose (morphine equivalent) was 62.5 mg/day vs 78.0 mg/day.""",
    ),
    (
        "rct",
        56,
        [("acupuncture group", 28, "acupuncture"), ("control group", 28, None)],
        ["polycystic-ovary-syndrome"],
        """Acupuncture and ovulation in PCOS
In all, [[N:56|56]] women aged 20-35 years were randomized to acupuncture (acupuncture group; n = 28) or advice only (control group; n = 28). Ovulation frequency was [[pr:20,28,71.4|20/28 (71.4%)]] vs [[pr:11,28,39.3|11/28 (39.3%)]], [[p:=,0.016|P = .016]]. BMI was [[ms:27.4,4.2|27.4 ± 4.2]] kg/m2 and [[ms:27.9,4.6|27.9 ± 4.6]] kg/m2 at baseline.""",
    ),
    (
        "rct",
        100,
        [("MA group", 50, "manual-acupuncture"), ("EA group", 50, "electroacupuncture")],
        ["bell-palsy"],
        """Manual versus electro-acupuncture in Bell's palsy: a randomized controlled trial
One hundred patients with Bell's palsy were randomly allocated to an MA group and an EA group (n = 50 each). The House-Brackmann grade at 3 months was I–II in [[pr:44,,88|44 (88%)]] and [[pr:41,,82|41 (82%)]] patients ([[p:=,0.40|P = .40]]). Time to recovery was [[mi:21,14,35|21 (14–35)]] vs [[mi:24,16,38|24 (16–38)]] days (median, interquartile range; [[p:=,0.29|P = .29]]).""",
    ),
    (
        "rct",
        62,
        [("acupuncture group", 31, "acupuncture"), ("control group", 31, None)],
        ["hypertension"],
        """Acupuncture as an adjunct for essential hypertension
Sixty-two patients with stage 1 hypertension were randomized to acupuncture (acupuncture group, n=31) or lifestyle advice (control group, n=31). After 6 weeks, systolic blood pressure was [[ms:136.4,8.9|136.4±8.9]] vs [[ms:141.2,9.6|141.2±9.6]] mmHg ([[p:=,0.046|P=0.046]]); 24-h ambulatory systolic pressure differed by [[d:MD,-3.9|−3.9 mmHg (mean difference)]] ([[ci:-7.7,-0.1|95% CI −7.7 to −0.1]]).""",
    ),
    (
        "rct",
        76,
        [("acupuncture group", 38, "acupuncture"), ("sham group", 38, "sham-acupuncture")],
        ["fibromyalgia"],
        """Individualised acupuncture in fibromyalgia
[[N:76|Seventy-six]] women were randomized to acupuncture or sham (38 in each group). Fibromyalgia Impact Questionnaire scores at 10 weeks were [[ms:41.8,16.5|41.8 (16.5)]] versus [[ms:54.3,18.9|54.3 (18.9)]]; adjusted [[d:MD,-11.9|mean difference, −11.9]] ([[ci:-19.8,-4.0|95% CI, −19.8 to −4.0]]; [[p:=,0.004|P = .004]]). Follow-up at 1 year showed smaller effects ([[p:=,0.21|P = .21]]).""",
    ),
    (
        "rct",
        None,
        [("acupuncture group", None, "acupuncture"), ("control group", None, None)],
        ["shoulder-pain"],
        """Acupuncture and exercise for chronic shoulder pain
Patients with chronic shoulder pain lasting more than 3 months were recruited from 2 clinics and randomly assigned to acupuncture plus exercise (acupuncture group) or exercise alone (control group). Assessments were made at baseline, week 6 and month 6. Shoulder function improved more in the acupuncture group at week 6, and the difference persisted at month 6. Acupuncture was well tolerated.""",
    ),
    (
        "rct",
        180,
        [
            ("acupuncture group", 60, "acupuncture"),
            ("sham group", 60, "sham-acupuncture"),
            ("drug group", 60, "drug"),
        ],
        ["migraine"],
        """Acupuncture versus flunarizine versus sham for migraine prophylaxis
[[N:180|180]] patients with migraine without aura were randomized into three groups: acupuncture group (n=60), sham group (n=60) and drug group (n=60, flunarizine 5 mg nightly). Over weeks 1-16 the mean number of migraine days fell by [[ms:2.9,2.6|2.9±2.6]], [[ms:1.6,2.4|1.6±2.4]] and [[ms:2.2,2.3|2.2±2.3]] respectively. Acupuncture vs sham: [[d:MD,1.3|MD 1.3]] ([[ci:0.4,2.2|95% CI, 0.4–2.2]]), [[p:=,0.005|P=0.005]]; acupuncture vs drug: [[d:MD,0.7|MD 0.7]] ([[ci:-0.2,1.6|95% CI, −0.2–1.6]]), [[p:=,0.13|P=0.13]].""",
    ),
    (
        "rct",
        52,
        [("acupuncture group", 26, "acupuncture"), ("sham group", 26, "sham-acupuncture")],
        ["obesity"],
        """Acupuncture for weight loss in obese women: randomized sham-controlled trial
[[N:52|Fifty-two]] obese women (BMI ≥ 30) were randomized 1:1 to acupuncture or sham for 12 weeks (26 per group). Body weight decreased by [[ms:4.3,2.1|4.3 ± 2.1]] kg and [[ms:1.8,1.9|1.8 ± 1.9]] kg ([[p:<,0.001|P < 0.001]]); BMI by [[ms:1.6,0.8|1.6 ± 0.8]] and [[ms:0.7,0.7|0.7 ± 0.7]] kg/m² ([[p:<,0.001|P < 0.001]]). Waist circumference decreased by 4.9 cm versus 2.0 cm.""",
    ),
    (
        "rct",
        110,
        [("acupuncture group", 55, "acupuncture"), ("control group", 55, "usual-care")],
        ["post-stroke-hemiplegia"],
        """Acupuncture plus rehabilitation in hemiplegic stroke: effect on daily living
Methods: One hundred and ten patients (55 in each group) were randomized to acupuncture plus rehabilitation (acupuncture group) or rehabilitation alone (control group). Results: At 8 weeks, NIHSS score was [[ms:5.21,2.14|5.21 ± 2.14]] vs. [[ms:6.73,2.58|6.73 ± 2.58]] (t = 3.36, [[p:=,0.001|P = 0.001]]); the modified Barthel Index was [[ms:68.4,14.2|68.4 ± 14.2]] vs. [[ms:59.7,15.1|59.7 ± 15.1]] ([[p:=,0.002|P = 0.002]]); MMSE scores did not differ (χ2 = 1.24, [[p:>,0.05|P > 0.05]]).""",
    ),
    (
        "rct",
        90,
        [("acupuncture", 45, "acupuncture"), ("sham acupuncture", 45, "sham-acupuncture")],
        ["chronic-low-back-pain"],
        """Acupuncture in older adults with chronic low back pain
Participants aged 65 years or older ([[N:90|N = 90]]) were randomized to acupuncture (n = 45) or sham acupuncture (n = 45). At 3 months the RMDQ improved by [[ms:3.9,4.2|3.9 (4.2)]] vs [[ms:2.2,4.0|2.2 (4.0)]] points (SD in parentheses); the between-group difference was [[d:MD,1.7|1.7]] points ([[ci:-0.03,3.43|95% CI −0.03 to 3.43]]; [[p:=,0.054|P = .054]]). Trial registration: NCT03456789.""",
    ),
    (
        "rct",
        68,
        [("acupressure group", 34, "acupressure"), ("control group", 34, None)],
        ["insomnia"],
        """Self-administered acupressure for insomnia in older adults
Sixty-eight older adults were randomized to self-administered acupressure (acupressure group, n=34) or sleep hygiene education (control group, n=34). At 8 weeks, PSQI: [[ms:8.1,3.0|8.1 (3.0)]] vs [[ms:10.3,3.2|10.3 (3.2)]]; ISI: [[ms:10.4,4.5|10.4 (4.5)]] vs [[ms:13.0,4.9|13.0 (4.9)]] (mean (SD)); [[p:=,0.006|P=.006]] and [[p:=,0.03|P=.03]]. Adherence was 87%.""",
    ),
    (
        "rct",
        132,
        [("acupotomy group", 66, "acupotomy"), ("acupuncture group", 66, "acupuncture")],
        ["knee-osteoarthritis"],
        """Acupotomy versus acupuncture for knee osteoarthritis
A total of [[N:132|132]] patients were randomly assigned in a 1:1 ratio; 66 patients in each group received either acupotomy (acupotomy group) or acupuncture (acupuncture group). WOMAC total scores at 8 weeks were [[ms:28.5,11.2|28.5±11.2]] and [[ms:34.9,12.7|34.9±12.7]] ([[d:MD,-6.4|difference −6.4]], [[ci:-10.5,-2.3|95% CI −10.5 to −2.3]]); the VAS pain score differed by [[d:MD,-0.9|−0.9]] ([[ci:-1.5,-0.3|95% CI −1.5 to −0.3]], [[p:=,0.004|P = 0.004]]).""",
    ),
    (
        "rct",
        48,
        [("EA group", 24, "electroacupuncture"), ("control group", 24, None)],
        ["ischemic-stroke"],
        """Electroacupuncture and cognition after ischaemic stroke
Patients with post-stroke cognitive impairment (N=48) were randomized to electroacupuncture at GV20 and GV24 (EA group, n=24) or cognitive training alone (control group, n=24). MoCA scores at 8 weeks were [[ms:22.8,3.1|22.8 ± 3.1]] and [[ms:20.6,3.4|20.6 ± 3.4]] ([[p:=,0.024|P = 0.024]]) and MMSE scores [[ms:25.1,2.6|25.1 ± 2.6]] and [[ms:23.9,2.9|23.9 ± 2.9]] ([[p:=,0.14|P = 0.14]]).""",
    ),
]


def build(index: int, entry: tuple[Any, ...]) -> tuple[str, dict[str, Any]]:
    """Strip the markers from one annotated text; return the text and its label object."""
    design, n_total, arms, conditions, marked = entry
    parts: list[str] = []
    cursor = 0
    length = 0
    results: list[dict[str, Any]] = []
    p_values: list[dict[str, Any]] = []
    cis: list[dict[str, Any]] = []
    n_span: list[int] | None = None
    for match in _MARK.finditer(marked):
        before = marked[cursor : match.start()]
        parts.append(before)
        length += len(before)
        printed = match["printed"]
        span = [length, length + len(printed)]
        parts.append(printed)
        length += len(printed)
        cursor = match.end()
        tag = match["tag"]
        values = match["values"].split(",")
        if tag == "ms":
            results.append(
                _result(
                    "mean_sd", {"mean": float(values[0]), "sd": float(values[1]), "n": None}, span
                )
            )
        elif tag == "mi":
            median, q1, q3 = (float(value) for value in values)
            results.append(_result("median_iqr", {"median": median, "q1": q1, "q3": q3}, span))
        elif tag == "pr":
            events, total, percent = values
            results.append(
                _result(
                    "proportion",
                    {
                        "events": int(events) if events else None,
                        "total": int(total) if total else None,
                        "percent": float(percent) if percent else None,
                    },
                    span,
                )
            )
        elif tag.startswith("ci"):
            level = int(tag[2:] or 95)
            cis.append(
                {"lower": float(values[0]), "upper": float(values[1]), "level": level, "span": span}
            )
        elif tag == "p":
            p_values.append(
                {"text": printed, "relation": values[0], "value": float(values[1]), "span": span}
            )
        elif tag == "d":
            kind = "ratio" if values[0] in _RATIOS else "difference"
            results.append(
                _result(
                    kind,
                    {"measure": values[0], "estimate": float(values[1]), "ci": None, "p": None},
                    span,
                )
            )
        elif tag == "N":
            n_span = span
        else:
            raise ValueError(f"{index:03d}: unknown tag {tag!r}")
    parts.append(marked[cursor:])
    text = "".join(parts)
    label = {
        "design": design,
        "n_total": n_total,
        "n_total_span": n_span,
        "arms": [
            {"label": label, "n": n, "therapy": therapy, "span": _find(text, label)}
            for label, n, therapy in arms
        ],
        "conditions": conditions,
        "outcomes": [],
        "results": results,
        "p_values": p_values,
        "cis": cis,
    }
    return text, label


def _result(kind: str, values: dict[str, Any], span: list[int]) -> dict[str, Any]:
    return {
        "outcome": None,
        "timepoint": None,
        "arm": None,
        "kind": kind,
        "values": values,
        "span": span,
    }


def _find(text: str, label: str) -> list[int] | None:
    start = text.lower().find(label.lower())
    return [start, start + len(label)] if start >= 0 else None


def main() -> None:
    for index, entry in enumerate(ABSTRACTS, start=1):
        text, label = build(index, entry)
        (HERE / f"{index:03d}.txt").write_text(text + "\n", encoding="utf-8")
        (HERE / f"{index:03d}.json").write_text(
            json.dumps(label, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    print(f"wrote {len(ABSTRACTS)} labelled abstracts to {HERE}")


if __name__ == "__main__":
    main()
