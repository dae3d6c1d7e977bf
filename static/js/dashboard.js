// Dashboard charts. Data comes from the json_script block "dashboard-data" (built by trends/dashboard.py);
// everything shown here is also written in text on the page, so the charts are an extra, not the only view.
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
  const palette = ["#2459a6", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f", "#e07a5f", "#3d405b",
    "#81b29a", "#f2cc8f", "#5e548e", "#9a8c98", "#4a4e69", "#c9ada7", "#22223b"];

  Chart.defaults.color = muted;
  Chart.defaults.borderColor = line;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.animation = false;

  const timeAxis = { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } };

  // 1. Burden per day, 7-day average, flares shaded, remissions marked, red-flag days marked.
  const annotations = {};
  data.periods.forEach(function (p, i) {
    const flare = p.kind === "flare";
    annotations["period" + i] = {
      type: "box", xMin: p.start, xMax: p.end, drawTime: "beforeDatasetsDraw", borderWidth: 0,
      backgroundColor: flare ? "rgba(217, 119, 6, 0.18)" : "rgba(31, 122, 77, 0.15)",
      label: { display: true, content: flare ? "Flare" : "Remission", position: "start", color: flare ? warn : ok,
        font: { size: 11 } },
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
  new Chart(document.getElementById("chart-burden"), {
    data: {
      labels: data.labels,
      datasets: [
        { type: "bar", label: "Burden", data: data.burden, backgroundColor: accent, barPercentage: 1, categoryPercentage: 1 },
        { type: "line", label: "7-day average", data: data.average7, borderColor: fg, pointRadius: 0, borderWidth: 2, spanGaps: true, tension: 0.2 },
      ],
    },
    options: {
      scales: { x: timeAxis, y: { beginAtZero: true, title: { display: true, text: "Burden" } } },
      plugins: { annotation: { annotations: annotations } },
    },
  });

  // 2. Twitching by muscle group, stacked.
  new Chart(document.getElementById("chart-groups"), {
    type: "bar",
    data: {
      labels: data.bucket_labels,
      datasets: data.groups.map(function (g, i) {
        return { label: g.label, data: g.values, backgroundColor: palette[i % palette.length] };
      }),
    },
    options: { scales: { x: Object.assign({ stacked: true }, timeAxis), y: { stacked: true, beginAtZero: true } } },
  });

  // 3. Stress, sleep and caffeine against burden.
  new Chart(document.getElementById("chart-factors"), {
    type: "line",
    data: {
      labels: data.bucket_labels,
      datasets: [
        { label: "Burden", data: data.burden_by_bucket, borderColor: accent, yAxisID: "y", pointRadius: 0, spanGaps: true },
        { label: "Stress (0-10)", data: data.factors.stress, borderColor: palette[1], yAxisID: "y1", pointRadius: 0, spanGaps: true },
        { label: "Sleep (hours)", data: data.factors.sleep_hours, borderColor: palette[3], yAxisID: "y1", pointRadius: 0, spanGaps: true },
        { label: "Caffeine (mg)", data: data.factors.caffeine_mg, borderColor: palette[2], yAxisID: "y2", pointRadius: 0, spanGaps: true, borderDash: [5, 4] },
      ],
    },
    options: {
      scales: {
        x: timeAxis,
        y: { beginAtZero: true, position: "left", title: { display: true, text: "Burden" } },
        y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false }, title: { display: true, text: "Stress, sleep" } },
        y2: { beginAtZero: true, display: false },
      },
    },
  });

  // 4. Other symptoms.
  new Chart(document.getElementById("chart-symptoms"), {
    type: "line",
    data: {
      labels: data.bucket_labels,
      datasets: Object.keys(data.symptoms).map(function (key, i) {
        return { label: data.symptom_labels[key], data: data.symptoms[key], borderColor: palette[(i + 4) % palette.length], pointRadius: 0, spanGaps: true };
      }),
    },
    options: { scales: { x: timeAxis, y: { beginAtZero: true, suggestedMax: 10 } } },
  });
})();
