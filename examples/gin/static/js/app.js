document.getElementById("loaded").textContent = "JavaScript loaded.";
