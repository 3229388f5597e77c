// Follow a scan's OCR job on its page and reload when every page is read.
(function () {
  "use strict";
  const box = document.getElementById("job");
  if (!box || box.dataset.state === "done" || box.dataset.state === "failed" || !window.fetch) return;
  const bar = document.getElementById("job-progress");
  const state = document.getElementById("job-state");
  function poll() {
    fetch("/api/v1/jobs/" + box.dataset.job, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((job) => {
        bar.value = job.progress;
        if (job.state === "done") { window.location.reload(); return; }
        if (job.state === "failed") { state.textContent = box.dataset.msgFailed + " " + (job.error || ""); return; }
        state.textContent = Math.round(job.progress * 100) + "%";
        setTimeout(poll, 1500);
      })
      .catch(() => setTimeout(poll, 3000));
  }
  setTimeout(poll, 1000);
})();
