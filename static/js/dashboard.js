// Dashboard charts. Data comes from the json_script block "dashboard-data" (built by trends/dashboard.py);
// everything shown here is also written in text on the page, so the charts are an extra, not the only view.
// Made to be read on a 390-px phone: dates as "3 Nov" with few ticks, every series on a titled axis, and at most
// three series per chart (the factor and symptom charts let the person pick with buttons, aria-pressed).
// Colours come from the page's CSS custom properties, so light and dark themes draw what the legends say.
(function () {
  "use strict";
  const source = document.getElementById("dashboard-data");
  if (!source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  // One label per day of the range, built here rather than sent (ten years of dates is 47 kB of JSON).
  const first = Date.parse(data.start + "T00:00:00Z");
  data.labels = [];
  for (let i = 0; i < data.days; i++) data.labels.push(new Date(first + i * 86400000).toISOString().slice(0, 10));
  const css = getComputedStyle(document.documentElement);
  const color = (name, fallback) => (css.getPropertyValue(name) || fallback).trim();
  const fg = color("--fg", "#1c1f24");
  const muted = color("--muted", "#5b6470");
  const line = color("--line", "#d9dde3");
  const accent = color("--accent", "#2459a6");
  const danger = color("--danger", "#b3261e");
  const ok = color("--ok", "#1f7a4d");
  const warn = color("--warn", "#9a5b00");
  const flareFill = color("--flare-fill", "rgba(217, 119, 6, 0.22)");
  const remissionFill = color("--remission-fill", "rgba(31, 122, 77, 0.18)");
  const series = [color("--series-1", "#d1495b"), color("--series-2", "#00798c"), color("--series-3", "#8d6a9f")];
  const phone = window.matchMedia("(max-width: 36rem)").matches;

  Chart.defaults.color = muted;
  Chart.defaults.borderColor = line;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 14;
  Chart.defaults.plugins.legend.labels.boxHeight = 10;

  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  function shortDate(iso, withYear) {
    const [y, m, d] = iso.split("-").map(Number);
    if (data.bucket === "month") return MONTHS[m - 1] + " " + String(y).slice(2);
    return d + " " + MONTHS[m - 1] + (withYear ? " " + String(y).slice(2) : "");
  }
  const longRange = data.days > 366;
  const timeAxis = {
    ticks: {
      maxRotation: 0,
      autoSkip: true,
      autoSkipPadding: 12,
      maxTicksLimit: phone ? 4 : 8,
      callback: function (value) { return shortDate(this.getLabelForValue(value), longRange); },
    },
  };
  function yAxis(title, extra) {
    return Object.assign({ beginAtZero: true, title: { display: true, text: title }, ticks: { maxTicksLimit: 6 } }, extra);
  }

  // 1. Burden per day, 7-day average, flares shaded, remissions marked, red-flag days marked.
  const annotations = {};
  data.periods.forEach(function (p, i) {
    const flare = p.kind === "flare";
    annotations["period" + i] = {
      type: "box", xMin: p.start, xMax: p.end, drawTime: "beforeDatasetsDraw", borderWidth: 0,
      backgroundColor: flare ? flareFill : remissionFill,
      label: { display: true, content: flare ? "Flare" : "Remission", position: "start", color: flare ? warn : ok,
        font: { size: 11, weight: "bold" } },
    };
  });
  data.red_flag_days.forEach(function (day, i) {
    annotations["red" + i] = { type: "line", xMin: day, xMax: day, borderColor: danger, borderWidth: 2, borderDash: [4, 3] };
  });
  // Visits, tests and diagnoses from the medical timeline: a solid line with a short label at the top.
  const eventColor = "#6d3fa0";
  const eventWords = { visit: "Visit", emg: "EMG", blood: "Blood test", imaging: "Imaging", diagnosis: "Diagnosis" };
  (data.events || []).forEach(function (e, i) {
    annotations["event" + i] = {
      type: "line", xMin: e.date, xMax: e.date, borderColor: eventColor, borderWidth: 2,
      borderDash: e.planned ? [2, 2] : [],
      label: { display: true, content: eventWords[e.kind] || e.kind, position: "start", color: "#fff",
        backgroundColor: eventColor, font: { size: 10 }, padding: 2 },
    };
  });
  // Remedy and medication starts, dose changes and stops: a dotted teal line, labelled at the top of the chart (the
  // timeline's labels sit at the foot), stepping down in three rows so changes a few days apart stay readable.
  const remedyColor = "#0f766e";
  (data.remedy_events || []).forEach(function (e, i) {
    annotations["remedy" + i] = {
      type: "line", xMin: e.date, xMax: e.date, borderColor: remedyColor, borderWidth: 2, borderDash: [1, 3],
      label: { display: true, content: e.short, position: "end", color: "#fff",
        backgroundColor: remedyColor, font: { size: 10 }, padding: 2, yAdjust: (i % 3) * 16 },
    };
  });
  new Chart(document.getElementById("chart-burden"), {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: "Burden", data: data.burden, backgroundColor: accent, barPercentage: 1, categoryPercentage: 1 },
        { type: "line", label: "7-day average", data: data.average7, borderColor: fg, pointRadius: 0, borderWidth: 2, spanGaps: true, tension: 0.2 },
      ],
    },
    options: {
      scales: { x: timeAxis, y: yAxis("Burden") },
      // The key is written under the chart in the page (same colours), with the red-flag dates in words.
      plugins: { legend: { display: false }, annotation: { annotations: annotations } },
    },
  });

  // 1b. Remedies and medication as bands on the same days as the burden chart (x is the day's offset in the range).
  const remedyCanvas = document.getElementById("chart-remedies");
  if (remedyCanvas && data.remedies && data.remedies.length) {
    const box = remedyCanvas.parentElement;
    box.style.height = (2.5 + 1.8 * Number(box.dataset.rows || data.remedies.length)) + "rem";
    const changeMarks = {};
    data.remedies.forEach(function (r, i) {
      r.changes.forEach(function (c, j) {
        changeMarks["dose" + i + "_" + j] = { type: "line", xMin: c.day, xMax: c.day, yMin: i - 0.45, yMax: i + 0.45,
          borderColor: fg, borderWidth: 2 };
      });
    });
    new Chart(remedyCanvas, {
      type: "bar",
      data: {
        labels: data.remedies.map(function (r) { return r.label; }),
        datasets: [{ label: "Taken", data: data.remedies.map(function (r) { return [r.from, r.to + 1]; }),
          backgroundColor: "rgba(0, 121, 140, 0.55)", borderSkipped: false, barPercentage: 0.7 }],
      },
      options: {
        indexAxis: "y",
        scales: {
          x: { type: "linear", min: 0, max: data.days, ticks: { maxTicksLimit: 8, callback: function (v) {
            return data.labels[Math.min(data.days - 1, Math.max(0, Math.round(v)))]; } } },
          y: { ticks: { autoSkip: false } },
        },
        plugins: { legend: { display: false }, annotation: { annotations: changeMarks },
          tooltip: { callbacks: { label: function (ctx) {
            const r = data.remedies[ctx.dataIndex];
            return r.label + ": " + data.labels[r.from] + " to " + data.labels[r.to];
          } } } },
      },
    });
  }

  // 2. Twitching by muscle group, stacked: the two groups with the most burden and the rest together.
  const groups = data.groups.slice().sort(function (a, b) {
    return b.values.reduce((s, v) => s + v, 0) - a.values.reduce((s, v) => s + v, 0);
  });
  const shown = groups.slice(0, groups.length > 3 ? 2 : 3);
  const rest = groups.slice(shown.length);
  const groupSets = shown.map(function (g, i) { return { label: g.label, data: g.values, backgroundColor: series[i] }; });
  if (rest.length) {
    groupSets.push({
      label: rest.length === 1 ? rest[0].label : "Other groups (" + rest.length + ")",
      data: data.bucket_labels.map((_, i) => rest.reduce((s, g) => s + g.values[i], 0)),
      backgroundColor: muted,
    });
  }
  new Chart(document.getElementById("chart-groups"), {
    type: "bar",
    data: { labels: data.bucket_labels, datasets: groupSets },
    options: { scales: { x: Object.assign({ stacked: true }, timeAxis), y: yAxis("Burden", { stacked: true }) } },
  });

  // Charts with a picker: buttons[data-pick] in the chart's [data-picker] box choose the series.
  function picker(box, chosen, max, draw) {
    const buttons = Array.from(box.querySelectorAll("[data-pick]"));
    function sync() {
      buttons.forEach((b) => b.setAttribute("aria-pressed", String(chosen.includes(b.dataset.pick))));
      draw(chosen);
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        const key = button.dataset.pick;
        const at = chosen.indexOf(key);
        if (max === 1) {
          chosen.splice(0, chosen.length, key);
        } else if (at >= 0) {
          if (chosen.length > 1) chosen.splice(at, 1);
        } else {
          chosen.push(key);
          if (chosen.length > max) chosen.shift();
        }
        sync();
      });
    });
    box.hidden = false;
    sync();
  }

  // 3. One factor at a time against burden, each on its own titled axis.
  const factorCanvas = document.getElementById("chart-factors");
  const factorChart = new Chart(factorCanvas, {
    type: "line",
    data: { labels: data.bucket_labels, datasets: [] },
    options: { scales: { x: timeAxis, y: yAxis("Burden", { position: "left" }), y1: yAxis("", { position: "right", grid: { drawOnChartArea: false } }) } },
  });
  function drawFactor(chosen) {
    const key = chosen[0];
    const label = data.factor_labels[key] || key;
    factorChart.data.datasets = [
      { label: "Burden", data: data.burden_by_bucket, borderColor: accent, backgroundColor: accent, yAxisID: "y", pointRadius: 0, spanGaps: true },
      { label: label, data: data.factors[key], borderColor: series[0], backgroundColor: series[0], yAxisID: "y1", pointRadius: 0, spanGaps: true, borderDash: [6, 3] },
    ];
    factorChart.options.scales.y1.title.text = label;
    factorChart.update();
  }
  const factorBox = document.querySelector("[data-picker='factors']");
  if (factorBox) picker(factorBox, [Object.keys(data.factors)[0]], 1, drawFactor);
  else drawFactor([Object.keys(data.factors)[0]]);

  // 4. Other symptoms: up to three at once, the three highest on average first.
  const symptomChart = new Chart(document.getElementById("chart-symptoms"), {
    type: "line",
    data: { labels: data.bucket_labels, datasets: [] },
    options: { scales: { x: timeAxis, y: yAxis("Score (0 to 10)", { suggestedMax: 10 }) } },
  });
  const mean = (values) => {
    const known = values.filter((v) => v !== null);
    return known.length ? known.reduce((s, v) => s + v, 0) / known.length : 0;
  };
  const ranked = Object.keys(data.symptoms).sort((a, b) => mean(data.symptoms[b]) - mean(data.symptoms[a]));
  function drawSymptoms(chosen) {
    symptomChart.data.datasets = chosen.map(function (key, i) {
      return { label: data.symptom_labels[key], data: data.symptoms[key], borderColor: series[i], backgroundColor: series[i],
        pointRadius: 0, spanGaps: true, borderDash: i === 1 ? [6, 3] : i === 2 ? [2, 2] : [] };
    });
    symptomChart.update();
  }
  const symptomBox = document.querySelector("[data-picker='symptoms']");
  const initial = ranked.slice(0, 3);
  if (symptomBox) picker(symptomBox, initial, 3, drawSymptoms);
  else drawSymptoms(initial);
})();
