// Upload each chosen or dropped file on its own, with a progress bar for sending and
// then for reading (OCR). Without scripts the form posts all files at once.
(function () {
  "use strict";
  const form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.fetch) return;
  const input = document.getElementById("files");
  const zone = document.getElementById("dropzone");
  const list = document.getElementById("file-list");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const maxBytes = Number(form.dataset.maxBytes);
  const say = (key) => form.dataset["msg" + key.charAt(0).toUpperCase() + key.slice(1)];
  let dropped = null;

  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    dropped = event.dataTransfer.files;
    input.required = false;
    form.requestSubmit();
  });

  function row(file) {
    const item = document.createElement("li");
    const name = document.createElement("strong");
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 1;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    const state = document.createElement("span");
    state.textContent = " " + say("waiting");
    item.append(name, document.createElement("br"), bar, state);
    list.append(item);
    return { item, bar, state };
  }

  function follow(jobId, view, link) {
    fetch("/api/v1/jobs/" + jobId, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((job) => {
        view.bar.value = job.progress;
        if (job.state === "done") {
          view.state.textContent = " " + say("done") + " ";
          view.state.append(link);
        } else if (job.state === "failed") {
          view.state.textContent = " " + say("failed") + ": " + (job.error || "");
        } else {
          view.state.textContent = " " + say("reading") + " " + Math.round(job.progress * 100) + "%";
          setTimeout(() => follow(jobId, view, link), 1000);
        }
      })
      .catch(() => setTimeout(() => follow(jobId, view, link), 3000));
  }

  function send(file, view) {
    return new Promise((resolve) => {
      if (file.size > maxBytes) {
        view.state.textContent = " " + say("tooLarge");
        resolve();
        return;
      }
      const body = new FormData();
      body.append("file", file, file.name);
      const collection = document.getElementById("collection").value.trim();
      if (collection) body.append("collection", collection);
      const request = new XMLHttpRequest();
      request.open("POST", "/api/v1/scans");
      request.setRequestHeader("X-CSRF-Token", csrf);
      request.setRequestHeader("Accept", "application/json");
      request.upload.onprogress = (event) => {
        if (event.lengthComputable) view.bar.value = event.loaded / event.total;
        view.state.textContent = " " + say("sending");
      };
      request.onload = () => {
        let answer = {};
        try { answer = JSON.parse(request.responseText); } catch (error) { answer = {}; }
        if (request.status !== 202) {
          view.state.textContent = " " + say("failed") + ": " + (answer.detail || request.status);
          resolve();
          return;
        }
        const scan = answer.scans[0];
        const link = document.createElement("a");
        link.href = "/scans/" + scan.id;
        link.textContent = say("open");
        view.bar.value = 0;
        if (scan.duplicate) {
          view.state.textContent = " " + say("duplicate") + " ";
          view.state.append(link);
        } else {
          view.state.textContent = " " + say("queued");
          follow(scan.job_id, view, link);
        }
        resolve();
      };
      request.onerror = () => { view.state.textContent = " " + say("failed"); resolve(); };
      request.send(body);
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const files = Array.from(dropped || input.files);
    dropped = null;
    const views = files.map(row);
    for (let index = 0; index < files.length; index += 1) {
      await send(files[index], views[index]);  // one at a time: the server reads them in parallel
    }
    input.value = "";
    input.required = true;
  });
})();
